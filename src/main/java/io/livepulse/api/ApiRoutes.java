package io.livepulse.api;

import io.livepulse.access.Grant;
import io.livepulse.bus.Figures;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.event.Money;
import io.livepulse.ingest.IngestPipeline;
import io.livepulse.live.LiveHub;
import io.livepulse.live.LiveJson;
import io.livepulse.store.DatabaseHealth;
import io.livepulse.store.SecondsQuery;
import io.livepulse.store.SessionsQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The HTTP API of contract §5. Reads live figures from the aggregators and history from PostgreSQL. */
final class ApiRoutes {
  private static final Logger LOG = Logger.getLogger(ApiRoutes.class.getName());

  /** Where the request's {@link Grant} is kept in the routing context. */
  static final String GRANT = "livepulse.grant";

  private final Vertx vertx;
  private final Pool pool;
  private final int shards;
  private final IngestPipeline pipeline;
  private final LiveHub hub;
  private final SecondsQuery seconds;
  private final SessionsQuery sessions;
  private final io.livepulse.store.TimelineHistory timelineHistory;
  private final Placement placement;

  private final AddressRateLimits postLimits;

  ApiRoutes(Vertx vertx, Pool pool, int shards, IngestPipeline pipeline, LiveHub hub, AddressRateLimits postLimits,
            Placement placement) {
    this.placement = placement;
    this.postLimits = postLimits;
    this.vertx = vertx;
    this.pool = pool;
    this.shards = shards;
    this.pipeline = pipeline;
    this.hub = hub;
    this.seconds = new SecondsQuery(pool);
    this.sessions = new SessionsQuery(pool);
    this.timelineHistory = new io.livepulse.store.TimelineHistory(pool);
  }

  void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/api/rooms").handler(this::rooms);
    router.get("/api/rooms/:room").handler(this::room);
    router.get("/api/rooms/:room/seconds.csv").handler(this::secondsCsv);
    router.get("/api/rooms/:room/explains.csv").handler(this::explainsCsv);
    router.get("/api/rooms/:room/seconds").handler(this::seconds);
    router.get("/api/rooms/:room/sessions").handler(this::sessions);
    router.get("/api/rooms/:room/explains").handler(ctx -> timeline(ctx, true));
    router.get("/api/rooms/:room/marks").handler(ctx -> timeline(ctx, false));
    router.get("/api/leaderboard").handler(ctx -> {
      Grant g = grant(ctx);
      json(ctx, 200, LiveJson.leaderboard(g.seesEverything() ? hub.leaderboard() : hub.leaderboard(g::mayAccess)));
    });
    router.post("/api/events")
        .handler(BodyHandler.create(false).setBodyLimit(pipeline.maxFrameBytes()).setHandleFileUploads(false))
        .handler(this::postEvents);
  }

  private void health(RoutingContext ctx) {
    DatabaseHealth.check(pool)
        .onSuccess(db -> json(ctx, 200, new JsonObject().put("status", "UP").put("database", "UP")
            .put("fsync", db.fsync()).put("synchronousCommit", db.synchronousCommit()).put("cluster", clusterView())))
        .onFailure(err -> json(ctx, 503, new JsonObject().put("status", "DOWN").put("database", "DOWN")
            .put("error", "database: " + err.getMessage()).put("cluster", clusterView())));
  }

  /** This node's view of the cluster: its id and the members it sees (one, "local", without --cluster). */
  private JsonObject clusterView() {
    return new JsonObject().put("node", placement.self()).put("members", new JsonArray(placement.nodes()))
        .put("size", placement.nodes().size());
  }

  private void rooms(RoutingContext ctx) {
    List<Future<Bus.RoomList>> parts = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    for (String node : placement.nodes()) {
      for (int s = 0; s < shards; s++) {
        owners.add(node);
        parts.add(vertx.eventBus().<Bus.RoomList>request(Bus.aggregatorQueries(node, s), new Bus.RoomsQuery(),
            Bus.queryOptions()).map(m -> m.body()));
      }
    }
    // In a cluster a node may just have died: the others still answer (its rooms are moving to them).
    Future.join(parts)
        .onComplete(ignored -> {
          java.util.Map<String, Figures.RoomTick> byName = new java.util.HashMap<>();
          int answered = 0;
          for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).failed()) {
              continue;
            }
            answered++;
            for (Figures.RoomTick r : parts.get(i).result().rooms()) {
              // A room that is moving may be listed by two nodes: the owner's figures win.
              if (!byName.containsKey(r.room()) || placement.ownerOf(r.room()).equals(owners.get(i))) {
                byName.put(r.room(), r);
              }
            }
          }
          if (answered == 0) {
            fail(ctx, 503, "aggregators did not answer: " + parts.get(0).cause().getMessage());
            return;
          }
          List<Figures.RoomTick> rooms = new ArrayList<>(byName.values());
          rooms.removeIf(r -> !grant(ctx).mayAccess(r.room()));
          rooms.sort(Comparator.comparing(Figures.RoomTick::room));
          JsonArray out = new JsonArray();
          rooms.forEach(r -> out.add(LiveJson.roomSummary(r)));
          json(ctx, 200, new JsonObject().put("rooms", out));
        });
  }

  private void room(RoutingContext ctx) {
    String room = readableRoom(ctx);
    if (room == null) {
      return;
    }
    this.<Figures.RoomTick>askOwner(room, new Bus.RoomQuery(room))
        .onSuccess(t -> json(ctx, 200, LiveJson.room(t)))
        .onFailure(err -> answerFailure(ctx, room, err));
  }

  /** The path's room, if this token may read it; otherwise the request is answered 403 and this gives null. */
  private String readableRoom(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!grant(ctx).mayAccess(room)) {
      fail(ctx, 403, "this token may not read room " + room);
      return null;
    }
    return room;
  }

  private <T> Future<T> askOwner(String room, Object query) {
    return vertx.eventBus().<T>request(Bus.aggregatorQueries(placement, room, shards), query, Bus.queryOptions())
        .map(m -> m.body());
  }

  /** A request's own mistake (a bad parameter, a session the room does not have), answered as it says. */
  static final class RequestError extends RuntimeException {
    final int status;

    RequestError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** One answer for every way a room's question fails: the request, the owner, or PostgreSQL. */
  private static void answerFailure(RoutingContext ctx, String room, Throwable err) {
    if (err instanceof RequestError e) {
      fail(ctx, e.status, e.getMessage());
    } else if (err instanceof ReplyException re && re.failureCode() == Bus.NOT_FOUND) {
      fail(ctx, 404, "unknown room: " + room);
    } else if (err instanceof ReplyException) {
      fail(ctx, 503, "aggregator did not answer: " + err.getMessage());
    } else {
      LOG.log(Level.WARNING, "query failed for room " + room, err);
      fail(ctx, 503, "database: " + err.getMessage());
    }
  }

  private void seconds(RoutingContext ctx) {
    String room = readableRoom(ctx);
    if (room == null) {
      return;
    }
    secondsRange(room, ctx.request().getParam("session"), ctx.request().getParam("from"), ctx.request().getParam("to"))
        .compose(range -> seconds.seconds(room, range[0], range[1]))
        .onSuccess(rows -> {
          JsonArray out = new JsonArray();
          for (SecondsQuery.SecondRow r : rows) {
            out.add(new JsonObject().put("second", r.second()).put("gmv", Money.toDecimal(r.gmvCents()))
                .put("orders", r.orders()).put("units", r.units()).put("views", r.views())
                .put("enters", r.enters()).put("leaves", r.leaves()).put("online", r.online())
                .put("clicks", r.clicks()));
          }
          json(ctx, 200, new JsonObject().put("room", room).put("seconds", out));
        })
        .onFailure(err -> answerFailure(ctx, room, err));
  }

  /**
   * The seconds a request asks for: {@code from}/{@code to} (default: the last 300), or a whole
   * stored session with {@code ?session=N} (its start to its end, or to now while it runs).
   */
  private Future<long[]> secondsRange(String room, String session, String fromParam, String toParam) {
    long now = Math.floorDiv(System.currentTimeMillis(), 1000L);
    if (session != null) {
      int n;
      try {
        n = sessionNumber(session);
      } catch (RequestError e) {
        return Future.failedFuture(e);
      }
      return sessions.session(room, n).map(t -> {
        if (t == null || t.started() == null) {
          throw new RequestError(404, t == null ? "room " + room + " has no session " + n
              : "session " + n + " of " + room + " has no stored start");
        }
        long to = t.ended() != null ? t.ended() : now;
        long from = Math.max(t.started(), to - SecondsQuery.MAX_ROWS + 1);
        return new long[] {from, Math.max(from, to)};
      });
    }
    try {
      long to = toParam == null || toParam.isEmpty() ? now : Long.parseLong(toParam);
      long from = fromParam == null || fromParam.isEmpty() ? to - 299 : Long.parseLong(fromParam);
      if (to < from) {
        throw new RequestError(400, "to must be >= from");
      }
      if (span(from, to) > SecondsQuery.MAX_ROWS) {
        throw new RequestError(400, "at most " + SecondsQuery.MAX_ROWS + " seconds per request (to - from + 1)");
      }
      return Future.succeededFuture(new long[] {from, to});
    } catch (NumberFormatException e) {
      return Future.failedFuture(new RequestError(400, "from and to must be integers (epoch seconds)"));
    } catch (RequestError e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code ?session=N}: an integer of at least 1, or the request's mistake. */
  private static int sessionNumber(String value) {
    int n = sessionParam(value);
    if (n < 1) {
      throw new RequestError(400, "session must be an integer >= 1");
    }
    return n;
  }

  private static int sessionParam(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Contract §9: the current session's explain windows (or marks), from the room's owner. */
  private void timeline(RoutingContext ctx, boolean explains) {
    String room = readableRoom(ctx);
    if (room == null) {
      return;
    }
    timelineFor(room, ctx.request().getParam("session"))
        .onSuccess(t -> json(ctx, 200, explains ? LiveJson.explains(t) : LiveJson.marks(t)))
        .onFailure(err -> answerFailure(ctx, room, err));
  }

  /**
   * The current session's windows and marks from the room's owner, or with {@code ?session=N} any
   * stored session's, from PostgreSQL (the one in memory also answers this way: money exact).
   */
  private Future<Figures.Timeline> timelineFor(String room, String session) {
    if (session == null) {
      return askOwner(room, new Bus.TimelineQuery(room));
    }
    try {
      return timelineHistory.session(room, sessionNumber(session));
    } catch (RequestError e) {
      return Future.failedFuture(e);
    }
  }

  /** Stored totals per session, money to the cent: how each past show ended, later refunds included. */
  private void sessions(RoutingContext ctx) {
    String room = readableRoom(ctx);
    if (room == null) {
      return;
    }
    long now = Math.floorDiv(System.currentTimeMillis(), 1000L);
    sessions.sessions(room)
        .onSuccess(list -> {
          JsonArray out = new JsonArray();
          for (SessionsQuery.SessionTotals t : list) {
            out.add(new JsonObject().put("session", t.session()).put("gmv", Money.toDecimal(t.netCents()))
                .put("grossGmv", Money.toDecimal(t.grossCents())).put("refundAmount", Money.toDecimal(t.refundCents()))
                .put("orders", t.orders()).put("units", t.units()).put("buyers", t.buyers())
                .put("refundOrders", t.refundOrders()).put("firstSecond", t.firstSecond())
                .put("lastSecond", t.lastSecond()).put("started", t.started()).put("ended", t.ended())
                .put("durationSeconds", t.started() == null ? null
                    : (t.ended() != null ? t.ended() : now) - t.started() + 1)
                .put("status", t.live() ? "live" : "ended").put("peakOnline", t.peakOnline())
                .put("explains", t.explains()).put("marks", t.marks()));
          }
          json(ctx, 200, new JsonObject().put("room", room).put("sessions", out));
        })
        .onFailure(err -> answerFailure(ctx, room, err));
  }

  /** The per-second rows as CSV (issue 14's export): the same rows and limits as the JSON. */
  private void secondsCsv(RoutingContext ctx) {
    String room = readableRoom(ctx);
    if (room == null) {
      return;
    }
    secondsRange(room, ctx.request().getParam("session"), ctx.request().getParam("from"), ctx.request().getParam("to"))
        .compose(range -> seconds.seconds(room, range[0], range[1]))
        .onSuccess(rows -> {
          StringBuilder csv = new StringBuilder("second,time,gmv,orders,units,views,enters,leaves,online,clicks\n");
          for (SecondsQuery.SecondRow r : rows) {
            csv.append(r.second()).append(',').append(java.time.Instant.ofEpochSecond(r.second())).append(',')
                .append(Money.format(r.gmvCents())).append(',').append(r.orders()).append(',').append(r.units())
                .append(',').append(r.views()).append(',').append(r.enters()).append(',').append(r.leaves())
                .append(',').append(r.online()).append(',').append(r.clicks()).append('\n');
          }
          csvResponse(ctx, room + "-seconds.csv", csv);
        })
        .onFailure(err -> answerFailure(ctx, room, err));
  }

  /** The explain windows as CSV: the current session, or {@code ?session=N}. */
  private void explainsCsv(RoutingContext ctx) {
    String room = readableRoom(ctx);
    if (room == null) {
      return;
    }
    timelineFor(room, ctx.request().getParam("session")).onSuccess(t -> {
      StringBuilder csv = new StringBuilder("sku,start,end,seconds,gmv,orders,units,buyers,room_gmv,room_orders,"
          + "clicks,clickers,click_to_buy,online_start,online_end,online_peak\n");
      for (Figures.Explain e : t.explains()) {
        csv.append(csvText(e.sku())).append(',').append(java.time.Instant.ofEpochMilli(e.start())).append(',')
            .append(e.end() < 0 ? "" : java.time.Instant.ofEpochMilli(e.end()).toString()).append(',')
            .append(e.end() < 0 ? "" : Long.toString((e.end() - e.start()) / 1000)).append(',')
            .append(Money.format(e.gmvCents())).append(',').append(e.orders()).append(',').append(e.units()).append(',')
            .append(e.buyers()).append(',').append(Money.format(e.roomGmvCents())).append(',').append(e.roomOrders())
            .append(',').append(e.clicks()).append(',').append(e.clickers()).append(',')
            .append(LiveJson.ratio(e.clickToBuy())).append(',').append(e.onlineStart()).append(',')
            .append(e.onlineEnd()).append(',').append(e.onlinePeak()).append('\n');
      }
      csvResponse(ctx, room + "-explains.csv", csv);
    }).onFailure(err -> answerFailure(ctx, room, err));
  }

  /** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
  static String csvText(String s) {
    if (s == null) {
      return "";
    }
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static void csvResponse(RoutingContext ctx, String filename, CharSequence csv) {
    ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9_.:-]", "_") + "\"")
        .end(csv.toString());
  }

  /** to - from + 1, saturating: for extreme values the plain difference overflows to a small number. */
  static long span(long from, long to) {
    try {
      return Math.addExact(Math.subtractExact(to, from), 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private void postEvents(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    pipeline.process(body, grant(ctx), postLimits.of(ctx.request().remoteAddress().hostAddress()))
        .onSuccess(result -> {
          pipeline.forward(result);
          boolean unreadable = result.accepted() == 0 && result.duplicates() == 0
              && result.errors().size() == 1 && result.errors().get(0).error().startsWith("frame:");
          JsonObject out = result.toJson();
          if (unreadable) {
            out.put("error", result.errors().get(0).error());
          }
          json(ctx, unreadable ? 400 : 200, out);
        })
        .onFailure(err -> fail(ctx, 500, "ingest failed: " + err.getMessage()));
  }

  static Grant grant(RoutingContext ctx) {
    Grant g = ctx.get(GRANT);
    return g != null ? g : Grant.ALL;
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
        .end(body.encode());
  }

  static void fail(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }
}
