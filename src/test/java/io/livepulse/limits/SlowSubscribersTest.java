package io.livepulse.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.Config;
import io.livepulse.testing.Clients;
import io.livepulse.testing.RawWebSocket;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100 subscribers that never read, 10 that do: the readers get every tick on time, the stuck ones
 * are held to one pending update each and then disconnected.
 */
@Timeout(180)
class SlowSubscribersTest {
  @Test
  void stuckSubscribersNeverSlowTheOthers() throws Exception {
    try (TestServer server = TestServer.start(c -> c.withLimits(new Config.Limits(1_000, 1_000, 100_000, 4096, 30, 90, 8192))
        .withLiveStuckMs(2_000)); Clients clients = new Clients(server.port())) {
      // Twenty rooms with long titles make the leaderboard about 10 KB a second.
      JsonArray rooms = new JsonArray();
      for (int i = 0; i < 20; i++) {
        rooms.add(new JsonObject().put("type", "room").put("room", "slow-" + i).put("title", "t".repeat(190) + i)
            .put("anchor", "a".repeat(190)).put("platform", "p".repeat(190)));
        rooms.add(new JsonObject().put("type", "order").put("room", "slow-" + i).put("order", "o" + i).put("user", "u")
            .put("sku", "s".repeat(120)).put("title", "x".repeat(190)).put("amount", 10 + i));
      }
      try (Clients.Producer p = clients.producer()) {
        assertThat(p.send(rooms.encode()).getInteger("rejected")).isZero();
      }
      List<RawWebSocket> stuck = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        stuck.add(RawWebSocket.open(server.port(), "/live", "", 2048));
      }
      List<Clients.Subscriber> readers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        readers.add(clients.subscribe("/live?room=slow-" + i));
      }

      Clients.Subscriber pace = readers.get(0);
      int live = -1;
      for (int second = 0; second < 60 && live != 10; second++) {
        int seen = pace.received().size();
        pace.await(m -> m.getLong("seq") > seen);
        live = liveConnections(clients);
      }
      assertThat(live).as("stuck subscribers are disconnected").isEqualTo(10);

      for (Clients.Subscriber r : readers) {
        List<JsonObject> msgs = r.received();
        List<Long> at = r.arrivals();
        assertThat(msgs.size()).isGreaterThan(3);
        for (int i = 0; i < msgs.size(); i++) {
          assertThat(msgs.get(i).getLong("seq")).as("a reader never skips").isEqualTo(i + 1L);
          if ("tick".equals(msgs.get(i).getString("type"))) {
            long lag = at.get(i) - (msgs.get(i).getLong("second") + 1) * 1000;
            assertThat(lag).as("tick lag").isLessThan(1_000);
          }
        }
      }
      for (RawWebSocket s : stuck) {
        s.close();
      }
    }
  }

  static int liveConnections(Clients clients) {
    for (String line : clients.get("/metrics").body().split("\n")) {
      if (line.startsWith("livepulse_live_connections ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    return -1;
  }
}
