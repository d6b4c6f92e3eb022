package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The contract end to end, over real sockets: a known event set in several frames and formats (with
 * invalid events), every ack field, the live tick, the leaderboard and the REST answers, to the cent.
 * Runs against the embedded PostgreSQL and, in a subclass, against an external server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
abstract class EndToEndContract {
  TestServer server;
  Clients clients;
  long second;
  long ts;
  Clients.Subscriber roomLive;
  Clients.Subscriber overview;
  List<JsonObject> acks;

  abstract TestServer startServer() throws Exception;

  @BeforeAll
  void pushTheKnownEventSet() throws Exception {
    server = startServer();
    clients = new Clients(server.port());
    // Every event is stamped two seconds ahead, so the tick of that second must carry all of them.
    second = System.currentTimeMillis() / 1000 + 2;
    ts = second * 1000 + 100;
    roomLive = clients.subscribe("/live?room=e2e-1");
    overview = clients.subscribe("/live");
    try (Clients.Producer p = clients.producer()) {
      acks = List.of(
          p.send(new JsonArray()
              .add(ev("room").put("anchor", "Li Jiaqi").put("title", "Double 11").put("platform", "taobao").put("status", "live"))
              .add(ev("viewer").put("user", "a").put("action", "enter").put("source", "recommend"))
              .add(ev("viewer").put("user", "b").put("action", "enter").put("source", "follow"))
              .add(ev("viewer").put("user", "c").put("action", "enter").put("source", "recommend"))
              .add(ev("click").put("user", "a").put("sku", "sku1"))
              .add(ev("viewer").put("user", "d"))
              .encode()),
          p.send(String.join("\n",
              ev("order").put("order", "o1").put("user", "a").put("sku", "sku1").put("qty", 2).put("amount", "2598.00").put("title", "Door lock").encode(),
              ev("order").put("order", "o2").put("user", "b").put("sku", "sku2").put("amount", 19.99).put("title", "Tea").encode(),
              ev("order").put("order", "o-bad").put("user", "b").put("sku", "sku2").put("amount", -1).encode(),
              "",
              ev("order").put("order", "o3").put("user", "c").put("sku", "sku1").put("amount", "1299").put("title", "Door lock").encode())
              + "\n"),
          p.send(ev("order").put("order", "o1").put("user", "a").put("sku", "sku1").put("qty", 2).put("amount", "2598.00").encode()),
          p.send(new JsonArray()
              .add(ev("refund").put("order", "o2").put("amount", "5"))
              .add(ev("refund").put("order", "o2").put("amount", 100))
              .add(ev("refund").put("order", "o9").put("amount", 1))
              .add(ev("viewer").put("user", "c").put("action", "leave"))
              .add(ev("viewer").put("user", "zed").put("action", "leave"))
              .encode()),
          p.send("this is not json"),
          p.send(new JsonArray()
              .add(ev("order").put("room", "e2e-2").put("order", "p1").put("user", "x").put("sku", "s9").put("amount", "10.50"))
              .add(ev("viewer").put("room", "e2e-2").put("user", "x").put("action", "enter"))
              .encode()));
    }
  }

  JsonObject ev(String type) {
    return new JsonObject().put("type", type).put("room", "e2e-1").put("ts", ts);
  }

  /** Runs after the server stopped, to release what {@link #startServer} started for it. */
  void afterServerStopped() throws Exception {
  }

  @AfterAll
  void stop() throws Exception {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
    afterServerStopped();
  }

  /** Compares money by value: a JSON client reads 3897.00 as the double 3897.0. */
  static void assertMoney(Object actual, String expected) {
    assertThat(actual).as("money").isNotNull();
    assertThat(new BigDecimal(actual.toString())).isEqualByComparingTo(expected);
  }

  static JsonObject ack(long n, int accepted, int duplicates, int rejected) {
    return new JsonObject().put("ack", n).put("accepted", accepted).put("duplicates", duplicates).put("rejected", rejected);
  }

  static void assertAck(JsonObject actual, JsonObject expected, Map<Integer, String> errors) {
    assertThat(actual.getLong("ack")).isEqualTo(expected.getLong("ack"));
    assertThat(actual.getInteger("accepted")).as("accepted of %s", actual).isEqualTo(expected.getInteger("accepted"));
    assertThat(actual.getInteger("duplicates")).as("duplicates of %s", actual).isEqualTo(expected.getInteger("duplicates"));
    assertThat(actual.getInteger("rejected")).as("rejected of %s", actual).isEqualTo(expected.getInteger("rejected"));
    JsonArray errs = actual.getJsonArray("errors");
    assertThat(errs.size()).as("errors of %s", actual).isEqualTo(errors.size());
    errs.forEach(o -> {
      JsonObject e = (JsonObject) o;
      assertThat(errors).containsKey(e.getInteger("index"));
      assertThat(e.getString("error")).startsWith(errors.get(e.getInteger("index")));
    });
  }

  @Test
  void everyAckFieldIsRight() {
    assertThat(acks).hasSize(6);
    assertAck(acks.get(0), ack(1, 5, 0, 1), Map.of(5, "viewer: action is required, enter or leave"));
    assertAck(acks.get(1), ack(2, 3, 0, 1), Map.of(2, "order: amount must be >= 0"));
    assertAck(acks.get(2), ack(3, 0, 1, 0), Map.of());
    assertAck(acks.get(3), ack(4, 3, 0, 2), Map.of(
        1, "refund: amount 100.00 exceeds the 14.99 not yet refunded of order o2",
        2, "refund: order o9 was not accepted in room e2e-1"));
    assertAck(acks.get(4), ack(5, 0, 0, 1), Map.of(0, "frame: not valid JSON"));
    assertAck(acks.get(5), ack(6, 2, 0, 0), Map.of());
  }

  /** gmv = 2598.00 + 19.99 + 1299.00 - 5.00; gpm = gmv * 1000 / 3 views. */
  static void assertRoomTotals(JsonObject t) {
    assertMoney(t.getValue("gmv"), "3911.99");
    assertThat(t.getLong("orders")).isEqualTo(3);
    assertThat(t.getLong("units")).isEqualTo(4);
    assertThat(t.getLong("buyers")).isEqualTo(3);
    assertThat(t.getLong("uv")).isEqualTo(3);
    assertThat(t.getLong("views")).isEqualTo(3);
    assertThat(t.getLong("online")).isEqualTo(2);
    assertThat(t.getLong("peakOnline")).isEqualTo(3);
    assertThat(t.getDouble("conversion")).isEqualTo(1.0);
    assertMoney(t.getValue("gpm"), "1303996.67");
    assertThat(t.getLong("clickers")).isEqualTo(1);
    assertThat(t.getDouble("ctr")).isEqualTo(0.3333);
  }

  static void assertProducts(JsonArray products) {
    assertThat(products.size()).isEqualTo(2);
    JsonObject first = products.getJsonObject(0);
    assertThat(first.getString("sku")).isEqualTo("sku1");
    assertThat(first.getString("title")).isEqualTo("Door lock");
    assertMoney(first.getValue("gmv"), "3897.00");
    assertThat(first.getLong("units")).isEqualTo(3);
    assertThat(first.getLong("orders")).isEqualTo(2);
    JsonObject second = products.getJsonObject(1);
    assertThat(second.getString("sku")).isEqualTo("sku2");
    assertMoney(second.getValue("gmv"), "14.99");
  }

  @Test
  void liveRoomSendsASnapshotThenTheTickOfTheEventsSecond() {
    JsonObject first = roomLive.await(m -> true);
    assertThat(first.getString("type")).isEqualTo("snapshot");
    assertThat(first.getLong("seq")).isEqualTo(1);
    assertThat(first.getJsonArray("series").size()).isEqualTo(300);

    JsonObject tick = roomLive.await(m -> "tick".equals(m.getString("type")) && m.getLong("second") == second);
    assertThat(tick.getString("room")).isEqualTo("e2e-1");
    JsonObject now = tick.getJsonObject("now");
    assertMoney(now.getValue("gmv"), "3911.99");
    assertThat(now.getLong("orders")).isEqualTo(3);
    assertThat(now.getLong("units")).isEqualTo(4);
    assertThat(now.getLong("views")).isEqualTo(3);
    assertThat(now.getLong("enters")).isEqualTo(3);
    assertThat(now.getLong("leaves")).isEqualTo(2);
    assertThat(now.getLong("online")).isEqualTo(2);
    assertRoomTotals(tick.getJsonObject("totals"));
    assertProducts(tick.getJsonArray("topProducts"));
    assertThat(tick.getJsonObject("sources").getMap()).isEqualTo(Map.of("recommend", 2, "follow", 1));

    List<Long> seqs = roomLive.received().stream().map(m -> m.getLong("seq")).toList();
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).as("seq counts from 1 without gaps for a fast reader").isEqualTo(i + 1L);
    }
  }

  @Test
  void overviewSendsTheLeaderboardEverySecond() {
    JsonObject board = overview.await(m -> "leaderboard".equals(m.getString("type")) && m.getLong("second") >= second);
    JsonArray rooms = board.getJsonArray("rooms");
    assertThat(rooms.size()).isEqualTo(2);
    JsonObject top = rooms.getJsonObject(0);
    assertThat(top.getString("room")).isEqualTo("e2e-1");
    assertThat(top.getString("anchor")).isEqualTo("Li Jiaqi");
    assertThat(top.getString("platform")).isEqualTo("taobao");
    assertMoney(top.getValue("gmv"), "3911.99");
    assertThat(top.getLong("online")).isEqualTo(2);
    assertThat(top.getLong("uv")).isEqualTo(3);
    assertThat(rooms.getJsonObject(1).getString("room")).isEqualTo("e2e-2");
    JsonArray products = board.getJsonArray("products");
    assertThat(products.getJsonObject(0).getString("sku")).isEqualTo("sku1");
    assertThat(products.getJsonObject(0).getString("room")).isEqualTo("e2e-1");
    assertThat(products.getJsonObject(1).getString("sku")).isEqualTo("sku2");
    assertMoney(products.getJsonObject(1).getValue("gmv"), "14.99");
    assertThat(products.getJsonObject(2).getString("sku")).isEqualTo("s9");
    assertThat(products.getJsonObject(2).getString("room")).isEqualTo("e2e-2");
    JsonObject totals = board.getJsonObject("totals");
    assertMoney(totals.getValue("gmv"), "3922.49");
    assertThat(totals.getLong("orders")).isEqualTo(4);
    assertThat(totals.getLong("online")).isEqualTo(3);
    assertThat(totals.getLong("rooms")).isEqualTo(2);
    assertThat(overview.received().get(0).getLong("seq")).isEqualTo(1);

    JsonObject api = clients.get("/api/leaderboard").json();
    assertThat(api.getString("type")).isEqualTo("leaderboard");
    assertMoney(api.getJsonArray("rooms").getJsonObject(0).getValue("gmv"), "3911.99");
  }

  @Test
  void restAnswersWithTheSameNumbers() {
    Clients.Response rooms = clients.get("/api/rooms");
    assertThat(rooms.status()).isEqualTo(200);
    JsonArray list = rooms.json().getJsonArray("rooms");
    assertThat(list.size()).isEqualTo(2);
    JsonObject r1 = list.getJsonObject(0);
    assertThat(r1.getString("room")).isEqualTo("e2e-1");
    assertThat(r1.getString("title")).isEqualTo("Double 11");
    assertThat(r1.getString("status")).isEqualTo("live");
    assertRoomTotals(r1.getJsonObject("totals"));

    Clients.Response raw = clients.get("/api/rooms/e2e-1");
    assertThat(raw.body()).as("money is written with exactly two decimals")
        .contains("\"gmv\":3911.99").contains("\"gmv\":3897.00").contains("\"gpm\":1303996.67");
    JsonObject room = raw.json();
    assertThat(room.getString("anchor")).isEqualTo("Li Jiaqi");
    assertRoomTotals(room.getJsonObject("totals"));
    assertProducts(room.getJsonArray("topProducts"));
    assertThat(room.getJsonObject("sources").getMap()).isEqualTo(Map.of("recommend", 2, "follow", 1));

    Clients.Response missing = clients.get("/api/rooms/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).contains("nope");
  }

  @Test
  void secondsComeFromPostgres() {
    // The viewer columns are written when the second closes; wait for that second's tick first.
    roomLive.await(m -> "tick".equals(m.getString("type")) && m.getLong("second") > second);
    JsonObject row = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      JsonArray rows = clients.get("/api/rooms/e2e-1/seconds?from=" + (second - 1) + "&to=" + second).json().getJsonArray("seconds");
      row = rows.isEmpty() ? null : rows.getJsonObject(rows.size() - 1);
      if (row != null && row.getLong("views") == 3) {
        break;
      }
      long next = roomLive.received().get(roomLive.received().size() - 1).getLong("seq");
      roomLive.await(m -> m.getLong("seq") > next);
    }
    assertThat(row).isNotNull();
    assertThat(row.getLong("second")).isEqualTo(second);
    assertMoney(row.getValue("gmv"), "3911.99");
    assertThat(row.getLong("orders")).isEqualTo(3);
    assertThat(row.getLong("units")).isEqualTo(4);
    assertThat(row.getLong("views")).isEqualTo(3);
    assertThat(row.getLong("enters")).isEqualTo(3);
    assertThat(row.getLong("leaves")).isEqualTo(2);
    assertThat(row.getLong("online")).isEqualTo(2);

    assertThat(clients.get("/api/rooms/e2e-1/seconds?from=10&to=5").status()).isEqualTo(400);
    assertThat(clients.get("/api/rooms/e2e-1/seconds?from=0&to=86400").status()).isEqualTo(400);
    assertThat(clients.get("/api/rooms/e2e-1/seconds?from=x").json().getString("error")).contains("integers");
  }

  @Test
  @Order(Integer.MAX_VALUE) // adds a room, which the other tests do not expect
  void postEventsAnswersLikeAnAck() {
    Clients.Response ok = clients.post("/api/events",
        new JsonObject().put("type", "click").put("room", "e2e-3").put("user", "u").put("sku", "s").encode());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getInteger("accepted")).isEqualTo(1);
    assertThat(ok.json().containsKey("ack")).isFalse();

    Clients.Response bad = clients.post("/api/events", "{broken");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getInteger("rejected")).isEqualTo(1);
    assertThat(bad.json().getString("error")).startsWith("frame: not valid JSON");
  }

  @Test
  void healthAndMetrics() {
    Clients.Response health = clients.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("UP");
    assertThat(health.json().getString("fsync")).as("acknowledged orders must survive a crash").isEqualTo("on");
    assertThat(health.json().getString("synchronousCommit")).isEqualTo("on");

    String metrics = clients.get("/metrics").body();
    assertThat(metrics).contains("livepulse_events_total{outcome=\"accepted\",type=\"order\"} 4.0");
    assertThat(metrics).contains("livepulse_events_total{outcome=\"duplicate\",type=\"order\"} 1.0");
    assertThat(metrics).contains("livepulse_ingest_ack_latency_seconds_bucket");
    assertThat(metrics).contains("livepulse_live_connections 2.0");
    assertThat(metrics).contains("livepulse_live_push_lag_seconds_count");
    assertThat(metrics).containsPattern("livepulse_rooms [1-9]");
  }
}
