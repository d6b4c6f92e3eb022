package io.livepulse.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TempDirs;
import io.livepulse.testing.TestServer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Contract §7 over real sockets: tokens, roles, room prefixes, 401/403 before the upgrade, origins. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AccessTest {
  static final String INGEST_A = "ingest-brand-a-0123456789";
  static final String INGEST_ALL = "ingest-everything-0123456789";
  static final String READ_A = "read-brand-a-0123456789";

  TestServer server;
  Clients clients;

  @BeforeAll
  void start() throws Exception {
    Path tokens = TempDirs.file("tokens.json", """
        {"tokens": [
          {"token": "%s", "role": "ingest", "rooms": ["brandA-"]},
          {"token": "%s", "role": "ingest"},
          {"token": "%s", "role": "read", "rooms": ["brandA-"]}]}""".formatted(INGEST_A, INGEST_ALL, READ_A));
    server = TestServer.start(c -> c.withTokens(tokens).withAllowedOrigins(java.util.List.of("https://ops.example.com")));
    clients = new Clients(server.port());
    WebSocket ws = upgrade("/ingest", INGEST_ALL, null).await();
    JsonArray events = new JsonArray()
        .add(click("brandA-1")).add(click("brandA-2")).add(click("brandB-1"));
    ws.writeTextMessage(events.encode());
    // A read of the API doubles as the wait for the events to be aggregated.
    ws.close().await();
    waitForRooms(3);
  }

  void waitForRooms(int n) {
    for (int i = 0; i < 100; i++) {
      if (clients.request(io.vertx.core.http.HttpMethod.GET, "/api/rooms?token=" + INGEST_ALL, null).json()
          .getJsonArray("rooms").size() == n) {
        return;
      }
      clients.get("/health");
    }
    throw new AssertionError("rooms never appeared");
  }

  static JsonObject click(String room) {
    return new JsonObject().put("type", "click").put("room", room).put("user", "u").put("sku", "s");
  }

  @AfterAll
  void stop() {
    clients.close();
    server.close();
  }

  io.vertx.core.Future<WebSocket> upgrade(String path, String token, String origin) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setURI(path);
    if (token != null) {
      o.addHeader("Authorization", "Bearer " + token);
    }
    if (origin != null) {
      o.addHeader("Origin", origin);
    }
    return clients.connect(o).timeout(Clients.WAIT_SECONDS, TimeUnit.SECONDS);
  }

  int rejectedStatus(String path, String token, String origin) {
    Throwable err = upgrade(path, token, origin).transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await();
    assertThat(err).as("upgrade of %s should be refused", path).isInstanceOf(UpgradeRejectedException.class);
    return ((UpgradeRejectedException) err).getStatus();
  }

  @Test
  void missingOrWrongTokenGets401BeforeTheUpgrade() {
    assertThat(rejectedStatus("/ingest", null, null)).isEqualTo(401);
    assertThat(rejectedStatus("/ingest", "wrong-token-0123456789", null)).isEqualTo(401);
    assertThat(rejectedStatus("/live", null, null)).isEqualTo(401);
    assertThat(rejectedStatus("/live?room=brandA-1", null, null)).isEqualTo(401);
  }

  @Test
  void readTokensCannotIngestAndPrefixesLimitRooms() {
    assertThat(rejectedStatus("/ingest", READ_A, null)).isEqualTo(403);
    assertThat(rejectedStatus("/live?room=brandB-1", READ_A, null)).isEqualTo(403);
    assertThat(upgrade("/live?room=brandA-1&token=" + READ_A, null, null).await()).isNotNull();
  }

  @Test
  void eventsOutsideTheTokensPrefixesAreRejectedInTheAck() throws Exception {
    WebSocket ws = upgrade("/ingest", INGEST_A, null).await();
    io.vertx.core.Promise<String> ack = io.vertx.core.Promise.promise();
    ws.textMessageHandler(ack::tryComplete);
    ws.writeTextMessage(new JsonArray().add(click("brandA-9")).add(click("brandB-9")).encode());
    JsonObject a = new JsonObject(ack.future().timeout(20, TimeUnit.SECONDS).await());
    assertThat(a.getInteger("accepted")).isEqualTo(1);
    assertThat(a.getInteger("rejected")).isEqualTo(1);
    assertThat(a.getJsonArray("errors").getJsonObject(0).getString("error"))
        .isEqualTo("click: room brandB-9 is outside the rooms this token may write");
    ws.close().await();
  }

  @Test
  void overviewAndApiShowOnlyReadableRooms() {
    Clients.Subscriber overview = clients.subscribe("/live?token=" + READ_A);
    JsonObject board = overview.await(m -> !m.getJsonArray("rooms").isEmpty());
    assertThat(board.getJsonArray("rooms").stream().map(r -> ((JsonObject) r).getString("room")))
        .isNotEmpty().allMatch(r -> r.startsWith("brandA-"));
    overview.close();

    assertThat(clients.get("/api/rooms").status()).isEqualTo(401);
    assertThat(clients.get("/api/rooms").json().getString("error")).contains("access token");
    JsonArray rooms = clients.get("/api/rooms?token=" + READ_A).json().getJsonArray("rooms");
    assertThat(rooms.stream().map(r -> ((JsonObject) r).getString("room")).toList())
        .contains("brandA-1", "brandA-2").allMatch(r -> r.startsWith("brandA-"));
    assertThat(clients.get("/api/rooms/brandB-1?token=" + READ_A).status()).isEqualTo(403);
    assertThat(clients.get("/api/rooms/brandB-1/seconds?token=" + READ_A).status()).isEqualTo(403);
    assertThat(clients.get("/api/leaderboard?token=" + READ_A).json().getJsonArray("rooms").stream()
        .map(r -> ((JsonObject) r).getString("room"))).allMatch(r -> r.startsWith("brandA-"));
    assertThat(clients.post("/api/events?token=" + READ_A, click("brandA-1").encode()).status()).isEqualTo(403);
    assertThat(clients.post("/api/events?token=" + INGEST_A, click("brandA-1").encode()).status()).isEqualTo(200);
  }

  @Test
  void healthAndDashboardFilesStayOpen() {
    assertThat(clients.get("/health").status()).isEqualTo(200);
    assertThat(clients.get("/").status()).isEqualTo(200);
    assertThat(clients.get("/js/lp.js").status()).isEqualTo(200);
  }

  @Test
  void dashboardPassesItsTokenOnToLiveAndApi() throws Exception {
    try (io.livepulse.testing.Browser browser = io.livepulse.testing.Browser.open(server.port(), 1280, 900)) {
      browser.go("?token=" + READ_A);
      browser.waitForText("t-rooms", s -> !s.equals("0"));
      // Read in one script: the table is re-rendered every second (an element found one call earlier
      // may be gone by the next).
      @SuppressWarnings("unchecked")
      java.util.List<java.util.List<String>> rooms = (java.util.List<java.util.List<String>>)
          ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
              "return Array.from(document.querySelectorAll('#rooms tbody tr[data-room]'))"
                  + ".map(r => [r.getAttribute('data-room'), r.querySelector('a').href]);");
      assertThat(rooms).extracting(r -> r.get(0)).isNotEmpty().allMatch(r -> r.startsWith("brandA-"));
      assertThat(rooms.get(0).get(1)).contains("token=" + READ_A);
      browser.go("room.html?room=brandA-1&token=" + READ_A);
      browser.waitForText("n-uv", s -> s.equals("1"));
    }
  }

  @Test
  void foreignOriginsGet403() {
    assertThat(rejectedStatus("/live", INGEST_ALL, "https://evil.example.net")).isEqualTo(403);
    assertThat(upgrade("/live", INGEST_ALL, "https://ops.example.com").await()).isNotNull();
    assertThat(upgrade("/live", INGEST_ALL, "http://127.0.0.1:" + server.port()).await()).as("own origin").isNotNull();
  }
}
