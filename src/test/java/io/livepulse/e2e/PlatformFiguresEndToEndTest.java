package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract §8 over real sockets: the refund id makes a re-sent refund a duplicate, the new totals
 * (gross, refunds, their rate, click-to-buy, the platform's figures) and per-product clicks are in
 * the REST answer and the live tick, and a restart rebuilds them.
 */
@Timeout(120)
class PlatformFiguresEndToEndTest {
  static JsonObject ev(String type) {
    return new JsonObject().put("type", type).put("room", "platform-1").put("ts", System.currentTimeMillis());
  }

  static void assertFigures(JsonObject totals) {
    assertThat(new BigDecimal(totals.getValue("grossGmv").toString())).isEqualByComparingTo("300.00");
    assertThat(new BigDecimal(totals.getValue("refundAmount").toString())).isEqualByComparingTo("45.00");
    assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo("255.00");
    assertThat(totals.getLong("refundOrders")).isEqualTo(1);
    assertThat(totals.getDouble("refundRate")).isEqualTo(0.15);
    assertThat(totals.getDouble("clickToBuy")).isEqualTo(0.6667);
    assertThat(totals.getString("onlineSource")).isEqualTo("reported");
    assertThat(totals.getLong("online")).isEqualTo(12_000);
    assertThat(totals.getLong("peakOnline")).isEqualTo(15_000);
    assertThat(totals.getLong("likes")).isEqualTo(880);
    assertThat(totals.getLong("viewers")).isEqualTo(40_000);
    assertThat(totals.containsKey("shares")).as("never reported: absent").isFalse();
    assertThat(money(totals, "perOrder")).as("笔单价: gross / orders").isEqualByComparingTo("150.00");
    assertThat(money(totals, "perBuyer")).as("客单价: net / buyers").isEqualByComparingTo("127.50");
    assertThat(totals.getDouble("exposureToEntry")).as("4 viewer entries / 40 reported exposures").isEqualTo(0.1);
  }

  /** Orders from ads (o1, refunded 45.00) and follow (o2); viewers from recommend, ads and follow. */
  static void assertChannels(JsonObject room) {
    JsonObject sales = room.getJsonObject("sourceSales");
    assertThat(money(sales.getJsonObject("ads"), "gmv")).isEqualByComparingTo("155.00");
    assertThat(money(sales.getJsonObject("ads"), "grossGmv")).isEqualByComparingTo("200.00");
    assertThat(sales.getJsonObject("ads").getLong("buyers")).isEqualTo(1);
    assertThat(money(sales.getJsonObject("follow"), "gmv")).isEqualByComparingTo("100.00");
    JsonObject groups = room.getJsonObject("sourceGroups");
    assertThat(groups.getJsonObject("paid").getDouble("gmvShare")).isEqualTo(60.8);
    assertThat(groups.getJsonObject("private").getDouble("gmvShare")).isEqualTo(39.2);
    assertThat(groups.getJsonObject("natural").getDouble("gmvShare")).isEqualTo(0.0);
    assertThat(groups.getJsonObject("natural").getLong("entries")).isEqualTo(2);
    assertThat(groups.getJsonObject("natural").getDouble("entryShare")).isEqualTo(50.0);
    assertThat(groups.getJsonObject("paid").getDouble("entryShare")).isEqualTo(25.0);
    JsonObject lamp = room.getJsonArray("topProducts").getJsonObject(0);
    assertThat(lamp.getLong("clickers")).isEqualTo(2);
    assertThat(lamp.getLong("buyers")).isEqualTo(1);
    assertThat(lamp.getDouble("clickToBuy")).isEqualTo(0.5);
  }

  @Test
  void refundIdsTheNewTotalsAndProductClicks() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      try (Clients.Producer p = clients.producer()) {
        JsonObject first = p.send(new JsonArray()
            .add(ev("click").put("user", "a").put("sku", "lamp"))
            .add(ev("click").put("user", "b").put("sku", "lamp"))
            .add(ev("click").put("user", "c").put("sku", "mug"))
            .add(ev("order").put("order", "o1").put("user", "a").put("sku", "lamp").put("amount", "200.00").put("source", "ads"))
            .add(ev("order").put("order", "o2").put("user", "b").put("sku", "mug").put("amount", "100.00").put("source", "follow"))
            .add(ev("viewer").put("user", "v1").put("action", "enter").put("source", "recommend"))
            .add(ev("viewer").put("user", "v2").put("action", "enter").put("source", "search"))
            .add(ev("viewer").put("user", "v3").put("action", "enter").put("source", "ads"))
            .add(ev("viewer").put("user", "v4").put("action", "enter").put("source", "follow"))
            .add(ev("stats").put("online", 15_000).put("likes", 800))
            .add(ev("stats").put("online", 12_000).put("likes", 880).put("viewers", 40_000).put("exposures", 40))
            .encode());
        assertThat(first.getInteger("accepted")).isEqualTo(11);
        JsonObject refunds = p.send(new JsonArray()
            .add(ev("refund").put("order", "o1").put("refund", "r-1").put("amount", "30.00"))
            .add(ev("refund").put("order", "o1").put("refund", "r-1").put("amount", "30.00"))
            .add(ev("refund").put("order", "o1").put("refund", "r-2").put("amount", "15.00"))
            .encode());
        assertThat(refunds.getInteger("accepted")).isEqualTo(2);
        assertThat(refunds.getInteger("duplicates")).as("the same refund id in one frame").isEqualTo(1);
        JsonObject again = p.send(ev("refund").put("order", "o1").put("refund", "r-2").put("amount", "15.00").encode());
        assertThat(again.getInteger("duplicates")).as("re-sent later").isEqualTo(1);
        JsonObject bad = p.send(ev("refund").put("order", "o1").put("refund", "").put("amount", "1.00").encode());
        assertThat(bad.getJsonArray("errors").getJsonObject(0).getString("error")).isEqualTo("refund: refund must be 1-128 characters");
      }
      JsonObject room = clients.get("/api/rooms/platform-1").json();
      assertFigures(room.getJsonObject("totals"));
      JsonObject lamp = room.getJsonArray("topProducts").getJsonObject(0);
      assertThat(lamp.getString("sku")).isEqualTo("lamp");
      assertThat(lamp.getLong("clicks")).isEqualTo(2);
      assertChannels(room);

      Clients.Subscriber live = clients.subscribe("/live?room=platform-1");
      JsonObject tick = live.await(m -> "tick".equals(m.getString("type")));
      assertFigures(tick.getJsonObject("totals"));
      assertChannels(tick);
      live.close();

      server.restart();
      JsonObject rebuilt = clients.get("/api/rooms/platform-1").json();
      assertFigures(rebuilt.getJsonObject("totals"));
      assertThat(rebuilt.getJsonArray("topProducts").getJsonObject(0).getLong("clicks")).isEqualTo(2);
      assertChannels(rebuilt);
    }
  }

  static JsonObject in(String room, String type) {
    return new JsonObject().put("type", type).put("room", room).put("ts", System.currentTimeMillis());
  }

  static BigDecimal money(JsonObject o, String field) {
    return new BigDecimal(o.getValue(field).toString());
  }

  /** Issue 11: a refund of an order sold in an earlier session is booked to that session, not the running one. */
  @Test
  void aRefundOfAnEarlierSessionsOrderIsBookedToThatSession() throws Exception {
    String r = "refund-later";
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      try (Clients.Producer p = clients.producer()) {
        assertThat(p.send(new JsonArray()
            .add(in(r, "room").put("status", "live"))
            .add(in(r, "order").put("order", "old").put("user", "a").put("sku", "lamp").put("amount", "100.00"))
            .add(in(r, "room").put("status", "ended"))
            .add(in(r, "room").put("status", "live"))
            .add(in(r, "order").put("order", "new").put("user", "b").put("sku", "mug").put("amount", "10.00"))
            .encode()).getInteger("accepted")).isEqualTo(5);
        JsonObject ack = p.send(in(r, "refund").put("order", "old").put("refund", "rf-1").put("amount", "30.00").encode());
        assertThat(ack.getInteger("accepted")).as(ack.encode()).isEqualTo(1);
        assertThat(p.send(in(r, "refund").put("order", "old").put("refund", "rf-1").put("amount", "30.00").encode())
            .getInteger("duplicates")).isEqualTo(1);
      }
      for (int round = 0; round < 2; round++) {
        JsonObject room = clients.get("/api/rooms/" + r).json();
        assertThat(room.getInteger("session")).isEqualTo(2);
        JsonObject totals = room.getJsonObject("totals");
        assertThat(money(totals, "gmv")).as("the running show is untouched").isEqualByComparingTo("10.00");
        assertThat(money(totals, "refundAmount")).isEqualByComparingTo("0");
        assertThat(totals.getLong("refundOrders")).isZero();

        JsonArray sessions = clients.get("/api/rooms/" + r + "/sessions").json().getJsonArray("sessions");
        assertThat(sessions).hasSize(2);
        JsonObject first = sessions.getJsonObject(0);
        assertThat(first.getInteger("session")).isEqualTo(1);
        assertThat(money(first, "grossGmv")).isEqualByComparingTo("100.00");
        assertThat(money(first, "refundAmount")).isEqualByComparingTo("30.00");
        assertThat(money(first, "gmv")).isEqualByComparingTo("70.00");
        assertThat(first.getLong("refundOrders")).isEqualTo(1);
        JsonObject second = sessions.getJsonObject(1);
        assertThat(money(second, "gmv")).isEqualByComparingTo("10.00");
        assertThat(money(second, "refundAmount")).isEqualByComparingTo("0");
        // The per-second rows: the refund sits on the old order's second, inside session 1.
        long from = first.getLong("firstSecond");
        long to = second.getLong("lastSecond");
        JsonArray rows = clients.get("/api/rooms/" + r + "/seconds?from=" + from + "&to=" + to).json().getJsonArray("seconds");
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < rows.size(); i++) {
          sum = sum.add(money(rows.getJsonObject(i), "gmv"));
        }
        assertThat(sum).isEqualByComparingTo("80.00");
        server.restart();
      }
    }
  }

  /** A feed without leaves: with the room's idle timeout, a viewer not seen for a minute is gone. */
  @Test
  void aViewerNotSeenForTheIdleTimeoutLeaves() throws Exception {
    String r = "idle-viewers";
    long now = System.currentTimeMillis();
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      try (Clients.Producer p = clients.producer()) {
        // The timeout first (a bridge sends it when it connects): its clock starts when it is set.
        assertThat(p.send(in(r, "room").put("status", "live").put("viewerIdleMinutes", 1).encode())
            .getInteger("accepted")).isEqualTo(1);
        assertThat(p.send(new JsonArray()
            .add(in(r, "viewer").put("user", "gone").put("action", "enter").put("ts", now - 90_000))
            .add(in(r, "viewer").put("user", "here").put("action", "enter"))
            .encode()).getInteger("accepted")).isEqualTo(2);
      }
      Clients.Subscriber live = clients.subscribe("/live?room=" + r);
      // The idle scan runs every 10 s: the viewer last seen 90 s ago leaves at the next one.
      JsonObject tick = live.await(m -> m.containsKey("totals") && m.getJsonObject("totals").getLong("online") == 1,
          java.time.Duration.ofSeconds(30));
      assertThat(tick.getJsonObject("totals").getLong("views")).isEqualTo(2);
      assertThat(tick.getJsonObject("totals").getLong("peakOnline")).isEqualTo(2);
      live.close();
      assertThat(clients.get("/api/rooms/" + r).json().getJsonObject("totals").getLong("online")).isEqualTo(1);
    }
  }
}
