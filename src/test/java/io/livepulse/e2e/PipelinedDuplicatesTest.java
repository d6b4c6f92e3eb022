package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract §1 on one pipelining connection: order X in frame N and a different copy of X in frame
 * N+1. The copy sent first is the one that counts, whatever the batching: frame N's ack says
 * accepted, frame N+1's says duplicate, and the room's GMV (live, and rebuilt from PostgreSQL after a
 * restart) and its products are the first copy's.
 */
@Timeout(300)
class PipelinedDuplicatesTest {
  static final int[] WINDOWS = {2, 4, 8};
  static final int ROUNDS = 100;

  @Test
  void theEarlierFramesCopyAlwaysWins() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      long ts = System.currentTimeMillis();
      long expectedCents = 0;
      long expectedOrders = 0;
      int round = 0;
      try (Clients.Producer producer = clients.producer()) {
        for (int window : WINDOWS) {
          ArrayDeque<Future<JsonObject>> inFlight = new ArrayDeque<>();
          List<Future<JsonObject>> firsts = new ArrayList<>();
          List<Future<JsonObject>> seconds = new ArrayList<>();
          List<Integer> fillers = new ArrayList<>();
          for (int r = 0; r < ROUNDS; r++, round++) {
            // A frame ahead of the re-send with many other orders (sorted before and after X), so
            // its transaction takes longer than the re-send's would.
            int filler = 20 + (r * 97) % 600;
            JsonArray first = new JsonArray();
            for (int k = 0; k < filler; k++) {
              first.add(order("f" + round + "-" + k + (k % 2 == 0 ? "a" : "z"), "filler", "1.00", ts));
              expectedCents += 100;
            }
            String x = "x" + round;
            first.add(filler / 2, order(x, "first-copy", "10.00", ts));
            expectedCents += 1000;
            expectedOrders += filler + 1;
            JsonArray second = new JsonArray().add(order(x, "second-copy", "99.99", ts));
            firsts.add(send(producer, inFlight, window, first.encode()));
            seconds.add(send(producer, inFlight, window, second.encode()));
            fillers.add(filler);
          }
          Future.all(new ArrayList<>(inFlight)).timeout(120, TimeUnit.SECONDS).await();
          for (int r = 0; r < ROUNDS; r++) {
            JsonObject a = firsts.get(r).result();
            JsonObject b = seconds.get(r).result();
            assertThat(a.getInteger("accepted")).as("window %d round %d: first copy", window, r).isEqualTo(fillers.get(r) + 1);
            assertThat(a.getInteger("duplicates")).as("window %d round %d: first copy", window, r).isZero();
            assertThat(b.getInteger("duplicates")).as("window %d round %d: re-send", window, r).isEqualTo(1);
            assertThat(b.getInteger("accepted")).as("window %d round %d: re-send", window, r).isZero();
          }
        }
      }
      assertFigures(clients, expectedCents, expectedOrders, round);
      server.restart();
      assertFigures(clients, expectedCents, expectedOrders, round);
    }
  }

  private static Future<JsonObject> send(Clients.Producer producer, ArrayDeque<Future<JsonObject>> inFlight,
                                         int window, String frame) {
    while (inFlight.size() >= window) {
      inFlight.poll().timeout(60, TimeUnit.SECONDS).await();
    }
    Future<JsonObject> ack = producer.sendAsync(frame);
    inFlight.add(ack);
    return ack;
  }

  private static void assertFigures(Clients clients, long cents, long orders, int rounds) {
    JsonObject room = clients.get("/api/rooms/pipelined").json();
    JsonObject totals = room.getJsonObject("totals");
    assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(cents, 2));
    assertThat(totals.getLong("orders")).isEqualTo(orders);
    List<String> skus = room.getJsonArray("topProducts").stream().map(p -> ((JsonObject) p).getString("sku")).toList();
    assertThat(skus).contains("first-copy").doesNotContain("second-copy");
    JsonObject firstCopy = room.getJsonArray("topProducts").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("sku").equals("first-copy")).findFirst().orElseThrow();
    assertThat(new BigDecimal(firstCopy.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(rounds * 1000L, 2));
  }

  private static JsonObject order(String id, String sku, String amount, long ts) {
    return new JsonObject().put("type", "order").put("room", "pipelined").put("order", id).put("user", "u-" + id)
        .put("sku", sku).put("amount", amount).put("ts", ts);
  }
}
