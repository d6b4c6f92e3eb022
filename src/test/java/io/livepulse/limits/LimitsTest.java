package io.livepulse.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.Config;
import io.livepulse.testing.Clients;
import io.livepulse.testing.RawWebSocket;
import io.livepulse.testing.TestServer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Hostile and careless clients: every limit gives a clear answer and costs nobody else anything. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class LimitsTest {
  static final int FRAME_LIMIT = 64 * 1024;

  TestServer server;
  Clients clients;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(c -> c.withMaxFrameBytes(FRAME_LIMIT)
        .withLimits(new Config.Limits(1_000, 120, 500, 2048, 1, 4, 0))
        .withLiveStuckMs(2_000));
    clients = new Clients(server.port());
  }

  @AfterAll
  void stop() {
    clients.close();
    server.close();
  }

  static String clicks(String room, int n) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) {
      a.add(new JsonObject().put("type", "click").put("room", room).put("user", "u" + i).put("sku", "s"));
    }
    return a.encode();
  }

  @Test
  void compressionIsNotNegotiatedAndACompressedBombIsRefused() throws Exception {
    try (RawWebSocket raw = RawWebSocket.open(server.port(), "/ingest", "Sec-WebSocket-Extensions: permessage-deflate\r\n", 0)) {
      assertThat(raw.responseHead).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("permessage-deflate");
      // 64 MiB of zeros deflate to about 64 KiB; sent as a "compressed" frame anyway.
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
      deflater.setInput(new byte[64 << 20]);
      deflater.finish();
      byte[] buf = new byte[1 << 20];
      int n = deflater.deflate(buf);
      byte[] bomb = java.util.Arrays.copyOf(buf, n);
      raw.send(1, true, bomb);
      RawWebSocket.Frame close = raw.readUntilClose();
      if (close != null) {
        assertThat(close.closeCode()).isEqualTo(1002);
      }
    }
    assertThat(clients.get("/health").status()).isEqualTo(200);
    try (Clients.Producer p = clients.producer()) {
      assertThat(p.send(clicks("bomb-after", 1)).getInteger("accepted")).isEqualTo(1);
    }
  }

  @Test
  void anOverLimitFrameGetsAnErrorAckAndTheConnectionStaysUsable() throws Exception {
    try (RawWebSocket raw = RawWebSocket.open(server.port(), "/ingest", "", 0)) {
      byte[] big = ("[\"" + "x".repeat(FRAME_LIMIT + 10) + "\"]").getBytes(StandardCharsets.UTF_8);
      raw.send(1, false, big);
      JsonObject ack = new JsonObject(raw.readMessage().text());
      assertThat(ack.getInteger("rejected")).isEqualTo(1);
      assertThat(ack.getJsonArray("errors").getJsonObject(0).getString("error"))
          .isEqualTo("frame: " + big.length + " bytes exceeds the limit of " + FRAME_LIMIT + " bytes per frame");

      // The same, in fragments: assembled by the server only up to the limit.
      byte[] half = new byte[FRAME_LIMIT / 2 + 100];
      java.util.Arrays.fill(half, (byte) ' ');
      raw.send(false, 1, false, half);
      raw.send(false, 0, false, half);
      raw.send(true, 0, false, half);
      JsonObject fragmented = new JsonObject(raw.readMessage().text());
      assertThat(fragmented.getLong("ack")).isEqualTo(2);
      assertThat(fragmented.getJsonArray("errors").getJsonObject(0).getString("error")).contains("exceeds the limit");

      raw.send(1, false, clicks("limits-ok", 2).getBytes(StandardCharsets.UTF_8));
      JsonObject ok = new JsonObject(raw.readMessage().text());
      assertThat(ok.getLong("ack")).isEqualTo(3);
      assertThat(ok.getInteger("accepted")).isEqualTo(2);

      // Beyond 4x the limit, Netty refuses the frame before buffering it: close 1009 (the client
      // may see the close frame, or a reset because it was still sending).
      try {
        raw.send(1, false, new byte[FRAME_LIMIT * 4 + 1]);
      } catch (java.io.IOException reset) {
        // closed while we were still writing
      }
      RawWebSocket.Frame close = raw.readUntilClose();
      if (close != null) {
        assertThat(close.closeCode()).isEqualTo(1009);
      }
    }
    assertThat(clients.get("/health").status()).isEqualTo(200);
  }

  @Test
  void postBodiesOverTheLimitGet413InJson() {
    Clients.Response r = clients.post("/api/events", "[\"" + "x".repeat(FRAME_LIMIT) + "\"]");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().getString("error")).contains("exceeds the limit of " + FRAME_LIMIT);
  }

  @Test
  void perConnectionRateLimitRejectsWithAClearError() {
    try (Clients.Producer p = clients.producer()) {
      assertThat(p.send(clicks("rate", 400)).getInteger("accepted")).isEqualTo(400);
      JsonObject limited = p.send(clicks("rate", 400));
      assertThat(limited.getInteger("accepted")).isZero();
      assertThat(limited.getInteger("rejected")).isEqualTo(400);
      assertThat(limited.getJsonArray("errors").getJsonObject(0).getString("error"))
          .startsWith("frame: rate limit of 500 events/s per connection exceeded");
      JsonObject tooBig = p.send(clicks("rate", 600));
      assertThat(tooBig.getJsonArray("errors").getJsonObject(0).getString("error"))
          .isEqualTo("frame: 600 events exceed this connection's rate limit of 500 events/s");
    }
    try (Clients.Producer other = clients.producer()) {
      assertThat(other.send(clicks("rate", 10)).getInteger("accepted")).as("another producer is not starved").isEqualTo(10);
    }
  }

  @Test
  void connectionsPerAddressAreCapped() {
    List<Clients.Subscriber> subs = new ArrayList<>();
    Throwable refused = null;
    try {
      for (int i = 0; i < 130 && refused == null; i++) {
        try {
          subs.add(clients.subscribe("/live?room=cap"));
        } catch (RuntimeException e) {
          refused = e;
        }
      }
    } finally {
      subs.forEach(Clients.Subscriber::close);
    }
    assertThat(refused).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused).getStatus()).isEqualTo(429);
    assertThat(subs.size()).isLessThanOrEqualTo(120);
    Clients.Subscriber again = clients.subscribe("/live?room=cap");
    assertThat(again.await(m -> true).getString("type")).as("slots are released on close").isEqualTo("snapshot");
    again.close();
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeoutWhileAPongingOneStays() throws Exception {
    Clients.Subscriber clock = clients.subscribe("/live?room=idle-clock");
    try (RawWebSocket silent = RawWebSocket.open(server.port(), "/live?room=idle", "", 0)) {
      long start = System.nanoTime();
      assertThat(silent.readUntilClose()).as("never answers pings");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(seconds).isBetween(2.0, 15.0);
    }
    // The Vert.x client answered every ping: still open and getting ticks.
    long seq = clock.received().size();
    assertThat(clock.await(m -> m.getLong("seq") > seq + 1)).isNotNull();
    clock.close();
  }
}
