package io.livepulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a frame's acknowledgement promises a reader: once an order is acknowledged, the room list
 * shows it, also for a room the server has never seen (its aggregator is still rebuilding it from
 * PostgreSQL when the question comes).
 */
@Timeout(120)
class ReadAfterAckTest {
  static final int ROOMS = 60;

  @Test
  void theRoomListShowsEveryAcknowledgedOrderOfANewRoomAtOnce() throws Exception {
    try (TestServer server = TestServer.start();
         Clients clients = new Clients(server.port());
         Clients.Producer p = clients.producer()) {
      for (int i = 0; i < ROOMS; i++) {
        String room = "raa-" + i;
        JsonObject ack = p.send(new JsonArray().add(new JsonObject().put("type", "order").put("room", room)
            .put("order", "o" + i).put("user", "u" + i).put("sku", "s").put("qty", 1).put("amount", "12.34")
            .put("ts", System.currentTimeMillis())).encode());
        assertThat(ack.getInteger("accepted")).isEqualTo(1);
        JsonObject listed = find(clients.get("/api/rooms").json().getJsonArray("rooms"), room);
        assertThat(listed).as("room %s in /api/rooms right after its order's ack", room).isNotNull();
        assertThat(listed.getJsonObject("totals").getString("gmv")).isEqualTo("12.34");
      }
    }
  }

  private static JsonObject find(JsonArray rooms, String room) {
    for (int i = 0; i < rooms.size(); i++) {
      if (rooms.getJsonObject(i).getString("room").equals(room)) {
        return rooms.getJsonObject(i);
      }
    }
    return null;
  }
}
