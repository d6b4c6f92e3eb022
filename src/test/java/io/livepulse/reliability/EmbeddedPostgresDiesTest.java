package io.livepulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded PostgreSQL is killed (SIGKILL, as the OOM killer would): LivePulse notices, restarts
 * it on the same port and data, /health comes back, acknowledged orders are all there, new orders are
 * taken, and the server still stops cleanly.
 */
@Timeout(180)
class EmbeddedPostgresDiesTest {
  static long postmasterPid(Path dataDir) throws Exception {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(0).strip());
  }

  static JsonObject order(String id, String amount) {
    return new JsonObject().put("type", "order").put("room", "pg-dies").put("order", id).put("user", "u-" + id)
        .put("sku", "s").put("amount", amount).put("ts", System.currentTimeMillis());
  }

  @Test
  void aKilledEmbeddedPostgresIsRestartedAndNothingIsLost() throws Exception {
    TestServer server = TestServer.start();
    try (Clients clients = new Clients(server.port()); Clients.Producer p = clients.producer()) {
      assertThat(p.send(order("before", "12.34").encode()).getInteger("accepted")).isEqualTo(1);
      long pid = postmasterPid(server.dataDir());
      ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
      postmaster.destroyForcibly();
      postmaster.onExit().get();

      // Sent at once: the store retries for 10 s while PostgreSQL is down, and its ack is the signal
      // that PostgreSQL is back (the supervisor checks every 2 s and restarts it in a few seconds).
      JsonObject ack = p.send(order("after", "1.00").encode());
      assertThat(ack.getInteger("accepted")).as(ack.encode()).isEqualTo(1);
      assertThat(postmasterPid(server.dataDir())).as("a new postmaster").isNotEqualTo(pid);
      assertThat(clients.get("/health").status()).isEqualTo(200);
      assertThat(p.send(order("before", "12.34").encode()).getInteger("duplicates")).isEqualTo(1);
      JsonObject totals = clients.get("/api/rooms/pg-dies").json().getJsonObject("totals");
      assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo("13.34");
    } finally {
      server.close();
    }
    // And the data is all there for the next start.
    try (TestServer again = TestServer.start(server.dataDir(), (String) null); Clients c = new Clients(again.port())) {
      JsonObject totals = c.get("/api/rooms/pg-dies").json().getJsonObject("totals");
      assertThat(totals.getLong("orders")).isEqualTo(2);
    }
  }
}
