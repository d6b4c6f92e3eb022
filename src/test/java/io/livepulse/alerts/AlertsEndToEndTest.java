package io.livepulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Contract §10 over real sockets: rules through the API, alerts on {@code /live} (room and overview)
 * within 2 s of the second that crossed the line, once per cooldown, then resolved; webhooks get
 * exactly the expected bodies, and one that hangs or fails delays nothing; history and rules survive
 * a restart. The webhook receivers are real HTTP servers started here.
 */
@Timeout(120)
class AlertsEndToEndTest {
  Vertx vertx;
  /** Bodies received by the answering webhook, in order. */
  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  /** Completed by the answering webhook's receiver when its second body (the resolved one) arrives. */
  final java.util.concurrent.CompletableFuture<Void> twoBodies = new java.util.concurrent.CompletableFuture<>();
  final AtomicInteger hangHits = new AtomicInteger();
  final AtomicInteger failHits = new AtomicInteger();
  int okPort;
  int hangPort;
  int failPort;

  @BeforeEach
  void receivers() {
    vertx = Vertx.vertx();
    okPort = listen(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.add(b.toJsonObject());
      if (received.size() >= 2) {
        twoBodies.complete(null);
      }
      req.response().setStatusCode(200).end("ok");
    })));
    hangPort = listen(vertx.createHttpServer().requestHandler(req -> hangHits.incrementAndGet()));
    failPort = listen(vertx.createHttpServer().requestHandler(req -> {
      failHits.incrementAndGet();
      req.response().setStatusCode(500).end("no");
    }));
  }

  static int listen(HttpServer server) {
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  static JsonObject viewer(String room, String user, String action) {
    return new JsonObject().put("type", "viewer").put("room", room).put("user", user).put("action", action)
        .put("ts", System.currentTimeMillis());
  }

  static long rule(Clients c, JsonObject body) {
    Clients.Response r = c.post("/api/alerts/rules", body.encode());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getLong("id");
  }

  static boolean isAlert(JsonObject m, long rule, String state) {
    return "alert".equals(m.getString("type")) && m.getLong("rule") == rule && state.equals(m.getString("state"));
  }

  /** How long after the end of the second it names the alert arrived. */
  static long delayMs(Clients.Subscriber s, JsonObject alert) {
    int i = s.received().indexOf(alert);
    return s.arrivals().get(i) - (alert.getLong("second") + 1) * 1000;
  }

  @Test
  void aThresholdReachesTheRoomTheOverviewAndTheWebhooksOnTimeOncePerCooldown() throws Exception {
    try (TestServer server = TestServer.start(); Clients c = new Clients(server.port())) {
      String room = "al-1";
      long ok = rule(c, new JsonObject().put("room", room).put("figure", "online").put("op", "above").put("value", 2)
          .put("cooldownSeconds", 600).put("webhook", "http://127.0.0.1:" + okPort + "/hook"));
      rule(c, new JsonObject().put("room", room).put("figure", "online").put("op", "above").put("value", 2)
          .put("webhook", "http://127.0.0.1:" + hangPort + "/hook").put("format", "slack"));
      rule(c, new JsonObject().put("prefix", "al-").put("figure", "online").put("op", "above").put("value", 2)
          .put("webhook", "http://127.0.0.1:" + failPort + "/hook").put("format", "feishu"));
      Clients.Subscriber live = c.subscribe("/live?room=" + room);
      Clients.Subscriber overview = c.subscribe("/live");
      live.await(m -> "snapshot".equals(m.getString("type")));
      try (Clients.Producer p = c.producer()) {
        assertThat(p.send(new JsonArray().add(viewer(room, "a", "enter")).add(viewer(room, "b", "enter"))
            .add(viewer(room, "c", "enter")).encode()).getInteger("accepted")).isEqualTo(3);
        JsonObject firing = live.await(m -> isAlert(m, ok, "firing"));
        assertThat(firing.getString("figure")).isEqualTo("online");
        assertThat(firing.getDouble("value")).isEqualTo(3.0);
        assertThat(firing.getDouble("threshold")).isEqualTo(2.0);
        assertThat(delayMs(live, firing)).as("within 2 s of its second").isLessThan(2_000);
        JsonObject onOverview = overview.await(m -> isAlert(m, ok, "firing"));
        assertThat(delayMs(overview, onOverview)).isLessThan(2_000);

        p.send(new JsonArray().add(viewer(room, "a", "leave")).add(viewer(room, "b", "leave")).encode());
        JsonObject resolved = live.await(m -> isAlert(m, ok, "resolved"));
        assertThat(resolved.getDouble("value")).isEqualTo(1.0);
        assertThat(delayMs(live, resolved)).isLessThan(2_000);

        // Over the line again within the cooldown: no second firing. Observed over the next ticks.
        p.send(new JsonArray().add(viewer(room, "a", "enter")).add(viewer(room, "b", "enter")).encode());
        JsonObject three = live.await(m -> "tick".equals(m.getString("type")) && m.getJsonObject("totals").getLong("online") == 3);
        live.await(m -> "tick".equals(m.getString("type")) && m.getLong("second") >= three.getLong("second") + 3);
        assertThat(live.received().stream().filter(m -> isAlert(m, ok, "firing"))).hasSize(1);
      }
      // The answering webhook: exactly the firing and the resolved bodies, the alert message itself.
      twoBodies.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(received).extracting(b -> b.getString("state")).containsExactly("firing", "resolved");
      assertThat(received.get(0).getLong("rule")).isEqualTo(ok);
      assertThat(received.get(0).getString("room")).isEqualTo(room);
      assertThat(received.get(0).getString("type")).isEqualTo("alert");
      // The hanging and the failing webhooks were called (the failing one retried), and delayed nothing.
      assertThat(hangHits.get()).isPositive();
      assertThat(failHits.get()).isPositive();
      live.close();
      overview.close();
    }
  }

  @Test
  void silenceMilestonesHistoryAndRulesSurviveARestart() throws Exception {
    try (TestServer server = TestServer.start(); Clients c = new Clients(server.port())) {
      String room = "al-2";
      long silent = rule(c, new JsonObject().put("room", room).put("op", "silent").put("seconds", 2));
      long milestone = rule(c, new JsonObject().put("room", room).put("figure", "gmv").put("op", "milestone")
          .put("value", 100));
      Clients.Response bad = c.post("/api/alerts/rules", new JsonObject().put("room", room).put("figure", "nope")
          .put("op", "above").put("value", 1).encode());
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().getString("error")).startsWith("figure must be one of gmv, orders,");
      Clients.Subscriber live = c.subscribe("/live?room=" + room);
      try (Clients.Producer p = c.producer()) {
        p.send(new JsonObject().put("type", "order").put("room", room).put("order", "o1").put("user", "u").put("sku", "s")
            .put("amount", "150.00").put("ts", System.currentTimeMillis()).encode());
        JsonObject reached = live.await(m -> isAlert(m, milestone, "firing"));
        assertThat(reached.getDouble("value")).isEqualTo(150.0);
        JsonObject quiet = live.await(m -> isAlert(m, silent, "firing"), Duration.ofSeconds(10));
        assertThat(quiet.getDouble("value")).as("seconds without an event").isGreaterThanOrEqualTo(2.0);
        p.send(viewer(room, "v", "enter").encode());
        live.await(m -> isAlert(m, silent, "resolved"));
      }
      live.close();
      JsonArray history = c.get("/api/rooms/" + room + "/alerts").json().getJsonArray("alerts");
      assertThat(history.stream().map(o -> ((JsonObject) o).getString("op") + ":" + ((JsonObject) o).getString("state")))
          .contains("milestone:firing", "silent:firing", "silent:resolved");

      server.restart();
      JsonArray rules = c.get("/api/alerts/rules?room=" + room).json().getJsonArray("rules");
      assertThat(rules).hasSize(2);
      assertThat(c.get("/api/rooms/" + room + "/alerts").json().getJsonArray("alerts")).hasSameSizeAs(history);
      assertThat(c.request(HttpMethod.DELETE, "/api/alerts/rules/" + silent, null).status()).isEqualTo(204);
      assertThat(c.request(HttpMethod.DELETE, "/api/alerts/rules/" + silent, null).status()).isEqualTo(404);
      assertThat(c.get("/api/alerts/rules?room=" + room).json().getJsonArray("rules")).hasSize(1);
    }
  }
}
