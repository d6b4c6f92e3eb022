package io.livepulse.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.ExternalPostgres;
import io.livepulse.testing.TempDirs;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL goes away under load: no order is acknowledged as accepted while it is down, /health says
 * so, a frame waits (retries for 10 s) and then reports a clear error, and after PostgreSQL returns
 * everything resumes with nothing lost or doubled.
 */
@Timeout(300)
class DatabaseOutageTest {
  @Test
  void ordersWaitOrFailCleanlyAndNothingIsLostOrDoubled() throws Exception {
    try (ExternalPostgres pg = ExternalPostgres.start();
         TestServer server = TestServer.start(TempDirs.create("livepulse-outage"), pg.url());
         Clients clients = new Clients(server.port());
         Clients.Producer producer = clients.producer()) {
      LoadRecorder load = new LoadRecorder("outage", 200);
      for (int f = 0; f < 50; f++) {
        assertThat(producer.send(load.frames.get(f)).getInteger("accepted")).isEqualTo(2 * LoadRecorder.ORDERS_PER_FRAME);
      }

      pg.stop();
      Clients.Response health = clients.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().getString("database")).isEqualTo("DOWN");

      long start = System.nanoTime();
      JsonObject failed = producer.send(load.frames.get(50));
      double waited = (System.nanoTime() - start) / 1e9;
      assertThat(failed.getInteger("accepted")).as("viewer events still count").isEqualTo(LoadRecorder.ORDERS_PER_FRAME);
      assertThat(failed.getInteger("rejected")).as("no order acknowledged while the database is down")
          .isEqualTo(LoadRecorder.ORDERS_PER_FRAME);
      assertThat(failed.getJsonArray("errors").getJsonObject(0).getString("error"))
          .isEqualTo("order: database unavailable, nothing of it was stored; resend");
      assertThat(waited).as("the store retried before giving up").isGreaterThan(5);

      Future<JsonObject> waiting = producer.sendAsync(load.frames.get(51));
      pg.restart();
      JsonObject resumed = waiting.timeout(60, TimeUnit.SECONDS).await();
      assertThat(resumed.getInteger("accepted")).as("a frame sent during the outage waits and then commits")
          .isEqualTo(2 * LoadRecorder.ORDERS_PER_FRAME);
      assertThat(clients.get("/health").status()).isEqualTo(200);

      for (int f = 52; f < load.frames.size(); f++) {
        assertThat(producer.send(load.frames.get(f)).getInteger("rejected")).isZero();
      }
      for (int f = 0; f < load.frames.size(); f++) {
        JsonObject again = producer.send(load.frames.get(f));
        assertThat(again.getInteger("duplicates")).as("frame %d", f).isEqualTo(f == 50 ? 0 : LoadRecorder.ORDERS_PER_FRAME);
      }
      JsonObject totals = clients.get("/api/rooms/outage").json().getJsonObject("totals");
      assertThat(totals.getLong("orders")).isEqualTo(load.orders());
      assertThat(new BigDecimal(totals.getValue("gmv").toString()))
          .isEqualByComparingTo(BigDecimal.valueOf(load.totalCents, 2));
    }
  }
}
