package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.Clock;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stop, start on the same data directory: every total and ranking as before, re-sent orders duplicates. */
@Timeout(120)
class RestartTest {
  @Test
  void totalsAndRankingsSurviveARestartAndOrdersStayUnique() throws Exception {
    try (TestServer server = TestServer.start()) {
      long ts = System.currentTimeMillis();
      JsonArray orders = new JsonArray();
      for (int i = 0; i < 40; i++) {
        String room = "restart-" + (i % 3);
        orders.add(new JsonObject().put("type", "order").put("room", room).put("order", "o" + i)
            .put("user", "u" + (i % 7)).put("sku", "sku" + (i % 5)).put("qty", 1 + i % 3)
            .put("amount", (100 + i) + "." + (i % 10) + "1").put("title", "Product " + (i % 5)).put("ts", ts));
      }
      JsonArray viewers = new JsonArray();
      for (int i = 0; i < 30; i++) {
        viewers.add(new JsonObject().put("type", "viewer").put("room", "restart-" + (i % 3)).put("user", "v" + i)
            .put("action", i % 4 == 0 ? "leave" : "enter").put("source", "follow").put("ts", ts));
      }
      JsonArray refunds = new JsonArray()
          .add(new JsonObject().put("type", "refund").put("room", "restart-0").put("order", "o0").put("amount", "50.00"))
          .add(new JsonObject().put("type", "room").put("room", "restart-1").put("anchor", "Viya").put("status", "live"));

      String before;
      String beforeRoom;
      String beforeBoard;
      try (Clients clients = new Clients(server.port()); Clients.Producer p = clients.producer()) {
        assertThat(p.send(orders.encode()).getInteger("accepted")).isEqualTo(40);
        assertThat(p.send(viewers.encode()).getInteger("accepted")).isEqualTo(30);
        assertThat(p.send(refunds.encode()).getInteger("accepted")).isEqualTo(2);
        long ackedSecond = Math.floorDiv(System.currentTimeMillis(), 1000L);
        before = stableRooms(clients);
        beforeRoom = Clock.withoutClockFigures(clients.get("/api/rooms/restart-0").json()).encode();
        beforeBoard = leaderboardRooms(clients, ackedSecond);
      }

      server.restart();

      try (Clients clients = new Clients(server.port()); Clients.Producer p = clients.producer()) {
        assertThat(stableRooms(clients)).isEqualTo(before);
        assertThat(Clock.withoutClockFigures(clients.get("/api/rooms/restart-0").json()).encode()).isEqualTo(beforeRoom);
        JsonObject again = p.send(orders.encode());
        assertThat(again.getInteger("accepted")).isZero();
        assertThat(again.getInteger("duplicates")).isEqualTo(40);
        assertThat(stableRooms(clients)).as("duplicates change no figure").isEqualTo(before);
        Clients.Subscriber overview = clients.subscribe("/live");
        overview.await(m -> m.getJsonArray("rooms").size() == 3);
        assertThat(leaderboardRooms(clients, Long.MIN_VALUE)).isEqualTo(beforeBoard);
        JsonObject refund = p.send(new JsonObject().put("type", "refund").put("room", "restart-0").put("order", "o0")
            .put("amount", "51.00").encode());
        assertThat(refund.getJsonArray("errors").getJsonObject(0).getString("error"))
            .as("the refunded part survived the restart")
            .isEqualTo("refund: amount 51.00 exceeds the 50.01 not yet refunded of order o0");
      }
    }
  }

  private static String stableRooms(Clients clients) {
    return Clock.withoutClockFigures(clients.get("/api/rooms").json()).encode();
  }

  /**
   * Waits for a leaderboard that covers the pushed rooms, then returns its rooms part. The leaderboard
   * is computed once a second: the one of a second that ended before the last frame's ack (a new
   * subscriber's first message may be it) need not hold that frame yet, so only a second from
   * {@code fromSecond} on is taken; the second's close comes after its end, after the ack.
   */
  private static String leaderboardRooms(Clients clients, long fromSecond) {
    try (Clients.Subscriber overview = clients.subscribe("/live")) {
      return overview.await(m -> m.getJsonArray("rooms").size() == 3 && m.getJsonObject("totals").getLong("orders") == 40
              && m.getLong("second") >= fromSecond)
          .getJsonArray("rooms").encode();
    }
  }
}
