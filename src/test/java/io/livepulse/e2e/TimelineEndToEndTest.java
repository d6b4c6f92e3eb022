package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 20-minute session, sent as it happened (timestamps of the last 20 minutes): three explain windows,
 * known orders inside and outside them, marks. The windows' figures equal an independent computation
 * to the cent, also after a restart in the middle of the third (still running) window.
 */
@Timeout(120)
class TimelineEndToEndTest {
  static final String ROOM = "timeline-1";

  static JsonObject ev(String type, long ts) {
    return new JsonObject().put("type", type).put("room", ROOM).put("ts", ts);
  }

  @Test
  void explainWindowsMatchAnIndependentComputationAcrossARestart() throws Exception {
    long t0 = System.currentTimeMillis() - 20 * 60_000;
    String[] skus = {"lamp", "mug", "pan"};
    long[][] windows = {{t0 + 60_000, t0 + 360_000}, {t0 + 360_000, t0 + 700_000}, {t0 + 900_000, -1}};
    long[] skuCents = new long[3];
    long[] roomCents = new long[3];
    long[] skuUnits = new long[3];
    long totalCents = 0;
    JsonArray frame = new JsonArray();
    frame.add(ev("mark", t0 + 30_000).put("label", "Show opens").put("kind", "host"));
    frame.add(ev("explain", windows[0][0]).put("sku", "lamp").put("action", "start"));
    // The second start ends the first window.
    frame.add(ev("explain", windows[1][0]).put("sku", "mug").put("action", "start"));
    frame.add(ev("explain", windows[1][1]).put("sku", "mug").put("action", "end"));
    frame.add(ev("mark", t0 + 800_000).put("label", "Coupon drop").put("kind", "coupon"));
    frame.add(ev("explain", windows[2][0]).put("sku", "pan").put("action", "start"));
    Random rnd = new Random(5);
    for (int i = 0; i < 400; i++) {
      long ts = t0 + rnd.nextInt(20 * 60_000 - 1_000);
      String sku = skus[rnd.nextInt(3)];
      int qty = 1 + rnd.nextInt(3);
      long cents = 100 + rnd.nextInt(50_000);
      totalCents += cents;
      frame.add(ev("order", ts).put("order", "o" + i).put("user", "u" + rnd.nextInt(50)).put("sku", sku).put("qty", qty)
          .put("amount", BigDecimal.valueOf(cents, 2).toPlainString()));
      for (int w = 0; w < 3; w++) {
        if (ts >= windows[w][0] && (windows[w][1] < 0 || ts < windows[w][1])) {
          roomCents[w] += cents;
          if (sku.equals(skus[w])) {
            skuCents[w] += cents;
            skuUnits[w] += qty;
          }
        }
      }
    }
    try (TestServer server = TestServer.start(); Clients c = new Clients(server.port())) {
      try (Clients.Producer p = c.producer()) {
        JsonObject ack = p.send(frame.encode());
        assertThat(ack.getInteger("accepted")).as(ack.encode()).isEqualTo(frame.size());
      }
      for (int round = 0; round < 2; round++) {
        JsonArray explains = c.get("/api/rooms/" + ROOM + "/explains").json().getJsonArray("explains");
        assertThat(explains).hasSize(3);
        for (int w = 0; w < 3; w++) {
          JsonObject e = explains.getJsonObject(w);
          assertThat(e.getString("sku")).isEqualTo(skus[w]);
          assertThat(e.getLong("start")).isEqualTo(windows[w][0]);
          assertThat(e.getValue("end")).isEqualTo(windows[w][1] < 0 ? null : windows[w][1]);
          assertThat(new BigDecimal(e.getValue("gmv").toString()).movePointRight(2).longValueExact())
              .as("window " + w + " sku GMV").isEqualTo(skuCents[w]);
          assertThat(e.getLong("units")).isEqualTo(skuUnits[w]);
          assertThat(new BigDecimal(e.getValue("roomGmv").toString()).movePointRight(2).longValueExact())
              .as("window " + w + " room GMV").isEqualTo(roomCents[w]);
        }
        JsonArray marks = c.get("/api/rooms/" + ROOM + "/marks").json().getJsonArray("marks");
        assertThat(marks.stream().map(m -> ((JsonObject) m).getString("label"))).containsExactly("Show opens", "Coupon drop");
        server.restart();
      }
      // The stored session from PostgreSQL: the same money (clicks and online are not kept for it).
      JsonArray stored = c.get("/api/rooms/" + ROOM + "/explains?session=1").json().getJsonArray("explains");
      for (int w = 0; w < 3; w++) {
        assertThat(new BigDecimal(stored.getJsonObject(w).getValue("gmv").toString()).movePointRight(2).longValueExact())
            .isEqualTo(skuCents[w]);
      }
      // Export: the windows and the per-second rows as CSV.
      String explainsCsv = c.get("/api/rooms/" + ROOM + "/explains.csv").body();
      java.util.List<String> lines = explainsCsv.lines().toList();
      assertThat(lines.get(0)).startsWith("sku,start,end,seconds,gmv,");
      assertThat(lines).hasSize(4);
      assertThat(lines.get(1)).startsWith("lamp,").contains("," + BigDecimal.valueOf(skuCents[0], 2).toPlainString() + ",");
      long from = t0 / 1000;
      long to = System.currentTimeMillis() / 1000;
      java.util.List<String> rows = c.get("/api/rooms/" + ROOM + "/seconds.csv?from=" + from + "&to=" + to).body()
          .lines().toList();
      assertThat(rows.get(0)).isEqualTo("second,time,gmv,orders,units,views,enters,leaves,online,clicks");
      BigDecimal sum = rows.stream().skip(1).map(r -> new BigDecimal(r.split(",")[2])).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(sum.movePointRight(2).longValueExact()).as("every order in its second").isEqualTo(totalCents);
      JsonObject bad = c.post("/api/events", ev("explain", System.currentTimeMillis()).put("sku", "x")
          .put("action", "pause").encode()).json();
      assertThat(bad.getJsonArray("errors").getJsonObject(0).getString("error"))
          .isEqualTo("explain: action must be start or end");
    }
  }
}
