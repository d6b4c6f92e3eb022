package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several producers race the same order ids: each order is counted exactly once, to the cent. */
@Timeout(120)
class ConcurrentProducersTest {
  static final int PRODUCERS = 6;
  static final int FRAMES = 20;
  static final int ORDERS_PER_FRAME = 50;

  @Test
  void sameOrderIdsFromManyConnectionsCountOnce() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      List<Clients.Producer> producers = new ArrayList<>();
      for (int i = 0; i < PRODUCERS; i++) {
        producers.add(clients.producer());
      }
      long ts = System.currentTimeMillis();
      long expectedCents = 0;
      List<String> frames = new ArrayList<>();
      for (int f = 0; f < FRAMES; f++) {
        JsonArray frame = new JsonArray();
        for (int k = 0; k < ORDERS_PER_FRAME; k++) {
          int id = f * ORDERS_PER_FRAME + k;
          long cents = 1000 + id;
          expectedCents += cents;
          frame.add(new JsonObject().put("type", "order").put("room", "race").put("order", "o" + id)
              .put("user", "u" + id).put("sku", "s" + (id % 4)).put("amount", BigDecimal.valueOf(cents, 2).toPlainString())
              .put("ts", ts));
        }
        frames.add(frame.encode());
      }
      // Every producer sends every frame, pipelined, each in a different order.
      List<Future<JsonObject>> acks = new ArrayList<>();
      for (int i = 0; i < PRODUCERS; i++) {
        for (int f = 0; f < FRAMES; f++) {
          acks.add(producers.get(i).sendAsync(frames.get((f + i * 7) % FRAMES)));
        }
      }
      Future.all(acks).timeout(60, TimeUnit.SECONDS).await();
      int accepted = 0;
      int duplicates = 0;
      for (Future<JsonObject> a : acks) {
        accepted += a.result().getInteger("accepted");
        duplicates += a.result().getInteger("duplicates");
        assertThat(a.result().getInteger("rejected")).isZero();
      }
      int distinct = FRAMES * ORDERS_PER_FRAME;
      assertThat(accepted).isEqualTo(distinct);
      assertThat(duplicates).isEqualTo(distinct * (PRODUCERS - 1));

      JsonObject totals = clients.get("/api/rooms/race").json().getJsonObject("totals");
      assertThat(totals.getLong("orders")).isEqualTo(distinct);
      assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(expectedCents, 2));
      assertThat(totals.getLong("buyers")).isEqualTo(distinct);
      producers.forEach(Clients.Producer::close);
    }
  }
}
