package io.livepulse.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.Config;
import io.livepulse.testing.Clients;
import io.livepulse.testing.Clock;
import io.livepulse.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Rooms are not free: a producer that invents room ids is stopped by the per-token and total limits
 * with a clear error per event; an idle room leaves memory and comes back from PostgreSQL exactly as it
 * was, also while new events for it race in from several connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class RoomLifecycleTest {
  static final int IDLE_SECONDS = 10;
  static final int NEW_ROOMS_PER_TOKEN = 40;
  TestServer server;
  Clients clients;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(c -> c.withRooms(new Config.Rooms(1_000, NEW_ROOMS_PER_TOKEN, IDLE_SECONDS, 3)));
    clients = new Clients(server.port());
  }

  @AfterAll
  void stop() {
    clients.close();
    server.close();
  }

  static JsonObject ev(String type, String room) {
    return new JsonObject().put("type", type).put("room", room).put("ts", System.currentTimeMillis());
  }

  /**
   * Waits for the room to leave memory, on the server's own signal: the overview's leaderboard (one a
   * second) lists the rooms in memory, and a room that left is no longer in it.
   */
  void awaitEvicted(String room) {
    try (Clients.Subscriber overview = clients.subscribe("/live")) {
      overview.await(m -> "leaderboard".equals(m.getString("type")) && lists(m, room));
      long seen = overview.received().size();
      overview.await(m -> "leaderboard".equals(m.getString("type")) && m.getLong("seq") > seen && !lists(m, room),
          Duration.ofSeconds(60));
    }
  }

  static boolean lists(JsonObject leaderboard, String room) {
    return leaderboard.getJsonArray("rooms").stream().anyMatch(r -> ((JsonObject) r).getString("room").equals(room));
  }

  boolean listed(String room) {
    return clients.get("/api/rooms").json().getJsonArray("rooms").stream()
        .anyMatch(r -> ((JsonObject) r).getString("room").equals(room));
  }

  /** Last: it spends the local principal's budget of new rooms. */
  @Test
  @Order(3)
  void inventedRoomsStopAtTheLimitWithAClearErrorAndTheRestOfTheFrameCounts() {
    try (Clients.Producer p = clients.producer()) {
      JsonArray frame = new JsonArray();
      for (int i = 0; i < NEW_ROOMS_PER_TOKEN + 10; i++) {
        frame.add(ev("click", "invented-" + i).put("user", "u").put("sku", "s"));
      }
      JsonObject ack = p.send(frame.encode());
      // Other tests of this class open rooms too; the budget is shared by the one local principal.
      assertThat(ack.getInteger("accepted")).isLessThanOrEqualTo(NEW_ROOMS_PER_TOKEN);
      assertThat(ack.getInteger("rejected")).isGreaterThanOrEqualTo(10);
      assertThat(ack.getJsonArray("errors").getJsonObject(0).getString("error"))
          .startsWith("click: room invented-").contains("rooms this hour (--max-new-rooms-per-token)");
      // A room already open still takes events.
      JsonObject again = p.send(ev("click", "invented-0").put("user", "u2").put("sku", "s").encode());
      assertThat(again.getInteger("accepted")).isEqualTo(1);
    }
  }

  @Test
  @Order(1)
  void anIdleRoomLeavesMemoryAndComesBackExactly() throws Exception {
    String room = "idle-room";
    try (Clients.Producer p = clients.producer()) {
      JsonArray frame = new JsonArray()
          .add(ev("room", room).put("anchor", "Wei").put("status", "live"))
          .add(ev("viewer", room).put("user", "a").put("action", "enter").put("source", "follow"))
          .add(ev("viewer", room).put("user", "b").put("action", "enter"))
          .add(ev("click", room).put("user", "a").put("sku", "lamp"))
          .add(ev("order", room).put("order", "o1").put("user", "a").put("sku", "lamp").put("amount", "99.90").put("title", "Lamp"))
          .add(ev("order", room).put("order", "o2").put("user", "b").put("sku", "mug").put("amount", "10.00"))
          .add(ev("refund", room).put("order", "o2").put("amount", "2.50"))
          // Arrives last but was placed earlier: the latest order's title ("Lamp") stays, live and
          // rebuilt (the alphabetically largest would be "Lamp v2").
          .add(ev("order", room).put("order", "o0").put("user", "c").put("sku", "lamp").put("amount", "1.00")
              .put("title", "Lamp v2").put("ts", System.currentTimeMillis() - 60_000));
      assertThat(p.send(frame.encode()).getInteger("rejected")).isZero();
    }
    JsonObject before = clients.get("/api/rooms/" + room).json();
    assertThat(listed(room)).isTrue();
    assertThat(before.getJsonArray("topProducts").getJsonObject(0).getString("title")).isEqualTo("Lamp");

    awaitEvicted(room);
    assertThat(listed(room)).as("the idle room left memory").isFalse();
    assertThat(clients.get("/metrics").body()).containsPattern("livepulse_rooms_evicted_total [1-9]");

    JsonObject after = clients.get("/api/rooms/" + room).json();
    assertThat(Clock.withoutClockFigures(after).getJsonObject("totals").encode())
        .isEqualTo(Clock.withoutClockFigures(before).getJsonObject("totals").encode());
    assertThat(after.getJsonArray("topProducts").encode()).isEqualTo(before.getJsonArray("topProducts").encode());
    assertThat(after.getString("anchor")).isEqualTo("Wei");
    assertThat(listed(room)).as("asked for, it is back in memory").isTrue();
    assertThat(clients.get("/api/rooms/never-seen-room").status()).isEqualTo(404);
  }

  /** Events for an evicted room race its rebuild from three connections: every committed order counts once. */
  @Test
  @Order(2)
  void eventsRacingTheRebuildCountOnce() throws Exception {
    String room = "race-rebuild";
    long cents = 0;
    try (Clients.Producer p = clients.producer()) {
      JsonArray first = new JsonArray();
      for (int i = 0; i < 50; i++) {
        first.add(ev("order", room).put("order", "a" + i).put("user", "u" + i).put("sku", "s").put("amount", "1.00"));
        cents += 100;
      }
      assertThat(p.send(first.encode()).getInteger("accepted")).isEqualTo(50);
    }
    awaitEvicted(room);
    assertThat(listed(room)).isFalse();

    List<Clients.Producer> producers = List.of(clients.producer(), clients.producer(), clients.producer());
    List<Future<JsonObject>> acks = new ArrayList<>();
    for (int f = 0; f < 20; f++) {
      for (int c = 0; c < producers.size(); c++) {
        JsonArray frame = new JsonArray();
        for (int k = 0; k < 10; k++) {
          String id = "b" + c + "-" + f + "-" + k;
          frame.add(ev("order", room).put("order", id).put("user", id).put("sku", "s").put("amount", "2.00"));
          cents += 200;
        }
        frame.add(ev("order", room).put("order", "a" + f).put("user", "x").put("sku", "s").put("amount", "5.00"));
        frame.add(ev("viewer", room).put("user", "v" + c + "-" + f).put("action", "enter"));
        acks.add(producers.get(c).sendAsync(frame.encode()));
      }
    }
    Future.all(acks).timeout(60, TimeUnit.SECONDS).await();
    int accepted = acks.stream().mapToInt(a -> a.result().getInteger("accepted")).sum();
    int duplicates = acks.stream().mapToInt(a -> a.result().getInteger("duplicates")).sum();
    assertThat(duplicates).as("re-sent ids of the first frame").isEqualTo(60);
    assertThat(accepted).isEqualTo(60 * 10 + 60);
    producers.forEach(Clients.Producer::close);

    JsonObject totals = clients.get("/api/rooms/" + room).json().getJsonObject("totals");
    assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo(BigDecimal.valueOf(cents, 2));
    assertThat(totals.getLong("orders")).isEqualTo(50 + 600);
    assertThat(totals.getLong("online")).as("limited to 3 online per room here").isEqualTo(3);
    assertThat(totals.getLong("views")).isEqualTo(60);
  }
}
