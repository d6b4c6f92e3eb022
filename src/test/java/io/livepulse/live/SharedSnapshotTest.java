package io.livepulse.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: subscribers of one room who connect together share one snapshot (fetched once, kept
 * until the room's next tick). Each still gets the room as it is, and every tick after it.
 */
@Timeout(60)
class SharedSnapshotTest {
  static JsonObject order(String id) {
    return new JsonObject().put("type", "order").put("room", "shared-1").put("ts", System.currentTimeMillis())
        .put("order", id).put("user", "u-" + id).put("sku", "lamp").put("amount", "10.00");
  }

  @Test
  void aStormOfSubscribersSharesSnapshotsAndMissesNothing() throws Exception {
    try (TestServer server = TestServer.start(); Clients c = new Clients(server.port());
         Clients.Producer p = c.producer()) {
      assertThat(p.send(new JsonArray().add(order("a")).add(order("b")).add(order("c")).encode())
          .getInteger("accepted")).isEqualTo(3);
      List<Clients.Subscriber> subs = new ArrayList<>();
      try {
        for (int i = 0; i < 30; i++) {
          subs.add(c.subscribe("/live?room=shared-1"));
        }
        for (Clients.Subscriber s : subs) {
          JsonObject snap = s.await(m -> "snapshot".equals(m.getString("type")));
          assertThat(snap.getLong("seq")).isEqualTo(1);
          assertThat(snap.getJsonObject("totals").getLong("orders")).isEqualTo(3);
          assertThat(snap.getJsonArray("series")).hasSize(300);
        }
        assertThat(p.send(order("d").encode()).getInteger("accepted")).isEqualTo(1);
        for (Clients.Subscriber s : subs) {
          s.await(m -> "tick".equals(m.getString("type")) && m.getJsonObject("totals").getLong("orders") == 4);
        }
      } finally {
        subs.forEach(Clients.Subscriber::close);
      }
      String metrics = c.get("/metrics").body();
      double shared = metrics.lines().filter(l -> l.startsWith("livepulse_live_snapshots_shared_total"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      assertThat(shared).as("30 subscribers in a moment share snapshots").isGreaterThan(0);
    }
  }
}
