package io.livepulse.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TikTok bridge (bridges/tiktok, Node) fed with recorded tiktok-live-connector event objects, as
 * a user runs it, into a real LivePulse: the room's figures are the platform's. The live connection
 * to TikTok itself cannot be exercised here (TikTok is not reachable from these machines).
 */
@Timeout(120)
class TikTokBridgeTest {
  static final Path BRIDGE = Path.of("bridges", "tiktok");

  @Test
  void recordedConnectorEventsBecomeTheRoomsFigures() throws Exception {
    assertThat(BRIDGE.resolve("node_modules").resolve("ws")).as("run: npm ci --prefix bridges/tiktok (.ci/run does)")
        .isDirectory();
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      Process node = new ProcessBuilder("node", "replay.mjs", "sample/recorded.ndjson", "--room", "tt-bridge",
          "--url", "http://127.0.0.1:" + server.port())
          .directory(BRIDGE.toFile()).redirectErrorStream(true).start();
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).as(out).isZero();
      // 1 room start + 31 joins + 2 viewer counts + 10 chats + 2 like totals (the late, lower one is
      // dropped) + 4 follows + 2 shares + the stream's end; the gift is not a sale and is not sent.
      assertThat(out).contains("accepted 53, duplicates 0, rejected 0");

      JsonObject room = clients.get("/api/rooms/tt-bridge").json();
      JsonObject t = room.getJsonObject("totals");
      assertThat(t.getString("onlineSource")).isEqualTo("reported");
      assertThat(t.getLong("online")).as("the platform's latest viewer count").isEqualTo(1310);
      assertThat(t.getLong("peakOnline")).isEqualTo(1310);
      assertThat(t.getLong("uv")).as("distinct viewers who joined").isEqualTo(30);
      assertThat(t.getLong("views")).as("joins").isEqualTo(31);
      assertThat(t.getLong("likes")).isEqualTo(360);
      assertThat(t.getLong("comments")).isEqualTo(10);
      assertThat(t.getLong("follows")).isEqualTo(4);
      assertThat(t.getLong("shares")).isEqualTo(2);
      assertThat(room.getString("status")).isEqualTo("ended");
      assertThat(room.getString("platform")).isEqualTo("tiktok");
    }
  }

  @Test
  void theBridgeSaysWhenLivePulseCannotBeReached() throws Exception {
    Process node = new ProcessBuilder("node", "replay.mjs", "sample/recorded.ndjson", "--url", "ws://127.0.0.1:1")
        .directory(BRIDGE.toFile()).redirectErrorStream(true).start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).isEqualTo(2);
    assertThat(out).contains("livepulse-tiktok: cannot connect to ws://127.0.0.1:1/ingest");
    assertThat(Files.exists(BRIDGE.resolve("package-lock.json"))).isTrue();
  }
}
