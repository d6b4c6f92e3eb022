package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's review: the session list (span, status, peak online, rounds, marks), a whole session's
 * per-second rows with {@code ?session=N} (clicks per second included), as JSON and CSV, after a
 * restart (so from PostgreSQL, not from memory).
 */
@Timeout(120)
class ReviewEndToEndTest {
  static final String ROOM = "review-1";

  static JsonObject ev(String type, long ts) {
    return new JsonObject().put("type", type).put("room", ROOM).put("ts", ts);
  }

  static long cents(JsonObject o, String field) {
    return new BigDecimal(o.getValue(field).toString()).movePointRight(2).longValueExact();
  }

  @Test
  void aPastSessionIsListedAndReadWholeFromPostgres() throws Exception {
    long now = System.currentTimeMillis();
    // Session 1 runs now (so its online is counted second by second), session 2 starts after it.
    long live1 = now - 1_000;
    try (TestServer server = TestServer.start(); Clients c = new Clients(server.port());
         Clients.Subscriber room = c.subscribe("/live?room=" + ROOM)) {
      JsonArray first = new JsonArray()
          .add(ev("room", live1).put("status", "live"))
          .add(ev("explain", live1).put("sku", "lamp").put("action", "start"))
          .add(ev("mark", live1).put("label", "Doors open"));
      for (int u = 0; u < 3; u++) {
        first.add(ev("viewer", now).put("user", "v" + u).put("action", "enter"));
      }
      for (int k = 0; k < 5; k++) {
        first.add(ev("click", now).put("user", "v" + (k % 3)).put("sku", "lamp"));
      }
      first.add(ev("order", now).put("order", "a1").put("user", "v0").put("sku", "lamp").put("amount", "12.30"))
          .add(ev("order", now).put("order", "a2").put("user", "v1").put("sku", "lamp").put("qty", 2)
              .put("amount", "20.00"));
      try (Clients.Producer p = c.producer()) {
        assertThat(p.send(first.encode()).getInteger("accepted")).isEqualTo(first.size());
        // The owner has counted the three viewers once a tick says so: the second's online is then kept.
        room.await(m -> "tick".equals(m.getString("type")) && m.getJsonObject("totals").getLong("online") == 3);
        long end1 = System.currentTimeMillis();
        JsonArray second = new JsonArray()
            .add(ev("room", end1).put("status", "ended"))
            .add(ev("room", end1 + 1_000).put("status", "live"))
            .add(ev("order", end1 + 1_000).put("order", "b1").put("user", "v2").put("sku", "mug").put("amount", "5.00"));
        assertThat(p.send(second.encode()).getInteger("accepted")).isEqualTo(3);
        server.restart();
        List<JsonObject> sessions = c.get("/api/rooms/" + ROOM + "/sessions").json().getJsonArray("sessions").stream()
            .map(o -> (JsonObject) o).toList();
        assertThat(sessions).hasSize(2);
        JsonObject s1 = sessions.get(0);
        assertThat(s1.getLong("started")).isEqualTo(live1 / 1000);
        assertThat(s1.getLong("ended")).isEqualTo(end1 / 1000);
        assertThat(s1.getLong("durationSeconds")).isEqualTo(end1 / 1000 - live1 / 1000 + 1);
        assertThat(s1.getString("status")).isEqualTo("ended");
        assertThat(s1.getLong("peakOnline")).isEqualTo(3);
        assertThat(s1.getLong("explains")).isEqualTo(1);
        assertThat(s1.getLong("marks")).isEqualTo(1);
        assertThat(cents(s1, "gmv")).isEqualTo(32_30);
        assertThat(s1.getLong("orders")).isEqualTo(2);
        JsonObject s2 = sessions.get(1);
        assertThat(s2.getString("status")).isEqualTo("live");
        assertThat(s2.getValue("ended")).isNull();
        assertThat(s2.getLong("started")).isEqualTo((end1 + 1_000) / 1000);
        assertThat(cents(s2, "gmv")).isEqualTo(5_00);

        // The whole of session 1, second by second: its money and its clicks, nothing of session 2.
        JsonArray rows = c.get("/api/rooms/" + ROOM + "/seconds?session=1").json().getJsonArray("seconds");
        // Rows are the stored seconds (a second without any row is a quiet one), all inside the span.
        for (int i = 0; i < rows.size(); i++) {
          assertThat(rows.getJsonObject(i).getLong("second")).isBetween(live1 / 1000, end1 / 1000);
        }
        long gmv = 0;
        long clicks = 0;
        for (int i = 0; i < rows.size(); i++) {
          gmv += cents(rows.getJsonObject(i), "gmv");
          clicks += rows.getJsonObject(i).getLong("clicks");
        }
        assertThat(gmv).isEqualTo(32_30);
        assertThat(clicks).as("clicks per second are stored").isEqualTo(5);
        JsonObject atOrders = rows.stream().map(o -> (JsonObject) o).filter(o -> o.getLong("second") == now / 1000)
            .findFirst().orElseThrow();
        assertThat(atOrders.getLong("clicks")).isEqualTo(5);
        assertThat(atOrders.getLong("enters")).isEqualTo(3);

        // The round of session 1, from PostgreSQL: its online from the stored seconds, to the session's end.
        JsonObject round = c.get("/api/rooms/" + ROOM + "/explains?session=1").json().getJsonArray("explains")
            .getJsonObject(0);
        assertThat(round.getLong("onlineStart")).isZero();
        assertThat(round.getLong("onlinePeak")).isEqualTo(3);
        assertThat(round.getLong("onlineEnd")).isEqualTo(3);

        List<String> csv = c.get("/api/rooms/" + ROOM + "/seconds.csv?session=1").body().lines().toList();
        assertThat(csv.get(0)).isEqualTo("second,time,gmv,orders,units,views,enters,leaves,online,clicks");
        assertThat(csv).hasSize(rows.size() + 1);

        // Asking for what is not there.
        assertThat(c.get("/api/rooms/" + ROOM + "/seconds?session=3").status()).isEqualTo(404);
        for (String bad : List.of("0", "-1", "x", "")) {
          Clients.Response r = c.get("/api/rooms/" + ROOM + "/seconds?session=" + bad);
          assertThat(r.status()).as("session=" + bad).isEqualTo(400);
          assertThat(r.json().getString("error")).isEqualTo("session must be an integer >= 1");
        }
      }
    }
  }
}
