package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A room's session target (issue 13): progress and pace in the totals, kept over a restart, gone with the show. */
@Timeout(120)
class TargetEndToEndTest {
  static JsonObject room(String status) {
    return new JsonObject().put("type", "room").put("room", "target-1").put("status", status)
        .put("ts", System.currentTimeMillis());
  }

  @Test
  void progressAndPaceSurviveARestartAndEndWithTheShow() throws Exception {
    try (TestServer server = TestServer.start(); Clients c = new Clients(server.port())) {
      try (Clients.Producer p = c.producer()) {
        assertThat(p.send(room("live").put("target", "1000.00").put("targetMinutes", 60).encode())
            .getInteger("accepted")).isEqualTo(1);
        p.send(new JsonObject().put("type", "order").put("room", "target-1").put("order", "o1").put("user", "u")
            .put("sku", "s").put("amount", "620.00").put("ts", System.currentTimeMillis()).encode());
        JsonObject bad = p.send(room("live").put("targetMinutes", 30).encode());
        assertThat(bad.getJsonArray("errors").getJsonObject(0).getString("error"))
            .isEqualTo("room: targetMinutes needs a target");
      }
      for (int round = 0; round < 2; round++) {
        JsonObject totals = c.get("/api/rooms/target-1").json().getJsonObject("totals");
        assertThat(new BigDecimal(totals.getValue("target").toString())).isEqualByComparingTo("1000.00");
        assertThat(totals.getDouble("targetProgress")).isEqualTo(0.62);
        assertThat(totals.getInteger("targetMinutes")).isEqualTo(60);
        // ¥620 of ¥1,000 in a 60-minute show is 37.2 minutes' worth; it has been live for seconds.
        assertThat(totals.getLong("paceSeconds")).isBetween(2_232L - 120, 2_232L);
        server.restart();
      }
      try (Clients.Producer p = c.producer()) {
        p.send(room("ended").encode());
        p.send(room("live").encode());
      }
      assertThat(c.get("/api/rooms/target-1").json().getJsonObject("totals").containsKey("target"))
          .as("a new show starts without the old target").isFalse();
      server.restart();
      assertThat(c.get("/api/rooms/target-1").json().getJsonObject("totals").containsKey("target")).isFalse();
    }
  }
}
