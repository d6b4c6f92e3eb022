package io.livepulse.api;

import io.livepulse.access.Grant;
import io.livepulse.alerts.AlertJson;
import io.livepulse.alerts.AlertRepository;
import io.livepulse.alerts.AlertRule;
import io.livepulse.alerts.RuleRequest;
import io.livepulse.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Contract §10's rule API and the alert history of a room. A token sees the rules of rooms it may
 * read and may change them only if it is an ingest token for them; a rule for every room, or for a
 * prefix wider than the token's, belongs to tokens that see everything (or that whole prefix).
 */
final class AlertRoutes {
  private static final Logger LOG = Logger.getLogger(AlertRoutes.class.getName());
  static final int MAX_BODY = 16 * 1024;

  private final Vertx vertx;
  private final AlertRepository alerts;

  AlertRoutes(Vertx vertx, AlertRepository alerts) {
    this.vertx = vertx;
    this.alerts = alerts;
  }

  void mount(Router router) {
    router.post("/api/alerts/rules").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(this::add);
    router.get("/api/alerts/rules").handler(this::list);
    router.delete("/api/alerts/rules/:id").handler(this::delete);
    router.get("/api/rooms/:room/alerts").handler(this::history);
  }

  /** Whether the grant may read the rooms a rule covers. */
  static boolean mayRead(Grant g, AlertRule r) {
    if (r.room() != null) {
      return g.mayAccess(r.room());
    }
    return g.seesEverything() || r.prefix() != null && g.prefixes().stream().anyMatch(p -> r.prefix().startsWith(p));
  }

  static boolean mayChange(Grant g, AlertRule r) {
    return g.ingest() && mayRead(g, r);
  }

  private void add(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      ApiRoutes.fail(ctx, 400, "body must be a JSON object: " + e.getMessage());
      return;
    }
    if (body == null) {
      ApiRoutes.fail(ctx, 400, "body must be a JSON object");
      return;
    }
    AlertRule rule;
    try {
      rule = RuleRequest.parse(body);
    } catch (IllegalArgumentException e) {
      ApiRoutes.fail(ctx, 400, e.getMessage());
      return;
    }
    Grant g = ApiRoutes.grant(ctx);
    if (!mayChange(g, rule)) {
      ApiRoutes.fail(ctx, 403, g.ingest() ? "this token may not set rules for these rooms"
          : "only an ingest token may set alert rules");
      return;
    }
    alerts.add(rule)
        .onSuccess(saved -> {
          vertx.eventBus().publish(Bus.RULES_CHANGED, new Bus.RulesChanged(System.currentTimeMillis()));
          ApiRoutes.json(ctx, 201, AlertJson.rule(saved));
        })
        .onFailure(err -> unavailable(ctx, err));
  }

  private void list(RoutingContext ctx) {
    Grant g = ApiRoutes.grant(ctx);
    String room = ctx.request().getParam("room");
    alerts.rules()
        .onSuccess(rules -> {
          JsonArray out = new JsonArray();
          rules.stream().filter(r -> mayRead(g, r)).filter(r -> room == null || r.applies(room))
              .forEach(r -> out.add(AlertJson.rule(r)));
          ApiRoutes.json(ctx, 200, new JsonObject().put("rules", out));
        })
        .onFailure(err -> unavailable(ctx, err));
  }

  private void delete(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ApiRoutes.fail(ctx, 400, "rule id must be an integer");
      return;
    }
    Grant g = ApiRoutes.grant(ctx);
    alerts.rules()
        .onSuccess(rules -> {
          AlertRule rule = rules.stream().filter(r -> r.id() == id).findFirst().orElse(null);
          if (rule == null || !mayRead(g, rule)) {
            ApiRoutes.fail(ctx, 404, "no rule " + id);
            return;
          }
          if (!mayChange(g, rule)) {
            ApiRoutes.fail(ctx, 403, "only an ingest token for these rooms may delete this rule");
            return;
          }
          alerts.delete(id).onSuccess(existed -> {
            vertx.eventBus().publish(Bus.RULES_CHANGED, new Bus.RulesChanged(System.currentTimeMillis()));
            ctx.response().setStatusCode(204).end();
          }).onFailure(err -> unavailable(ctx, err));
        })
        .onFailure(err -> unavailable(ctx, err));
  }

  private void history(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!ApiRoutes.grant(ctx).mayAccess(room)) {
      ApiRoutes.fail(ctx, 403, "this token may not read room " + room);
      return;
    }
    long now = Math.floorDiv(System.currentTimeMillis(), 1000L);
    long to;
    long from;
    try {
      to = ctx.request().getParam("to") == null ? now : Long.parseLong(ctx.request().getParam("to"));
      from = ctx.request().getParam("from") == null ? to - 86_400 : Long.parseLong(ctx.request().getParam("from"));
    } catch (NumberFormatException e) {
      ApiRoutes.fail(ctx, 400, "from and to must be integers (epoch seconds)");
      return;
    }
    if (to < from) {
      ApiRoutes.fail(ctx, 400, "to must be >= from");
      return;
    }
    alerts.history(room, from, to)
        .onSuccess(list -> {
          JsonArray out = new JsonArray();
          list.forEach(a -> out.add(new JsonObject().put("rule", a.rule()).put("state", a.state())
              .put("figure", a.figure()).put("op", a.op()).put("value", a.value()).put("threshold", a.threshold())
              .put("second", a.second())));
          ApiRoutes.json(ctx, 200, new JsonObject().put("room", room).put("alerts", out));
        })
        .onFailure(err -> unavailable(ctx, err));
  }

  private static void unavailable(RoutingContext ctx, Throwable err) {
    LOG.log(Level.WARNING, "alert rules: " + err.getMessage(), err);
    ApiRoutes.fail(ctx, 503, "database: " + err.getMessage());
  }
}
