package io.livepulse.api;

import io.livepulse.Config;
import io.livepulse.access.Access;
import io.livepulse.access.Grant;
import io.livepulse.event.RoomId;
import io.livepulse.bus.Placement;
import io.livepulse.ingest.FrameParser;
import io.livepulse.ingest.IngestConnection;
import io.livepulse.ingest.IngestPipeline;
import io.livepulse.live.LiveHub;
import io.livepulse.metrics.Metrics;
import io.livepulse.rooms.RoomAdmission;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance (deployed once per event loop, all on the same port): WebSocket
 * {@code /ingest} and {@code /live}, the HTTP API, metrics and the dashboard's static files.
 */
public final class HttpVerticle extends VerticleBase {
  /** A single WebSocket frame above this is refused by Netty with close code 1009 (message too big). */
  static final int HARD_FRAME_FACTOR = 4;
  /** Apache ECharts as packaged on Maven Central by mvnpm. */
  static final String ECHARTS = "META-INF/resources/_static/echarts/5.6.0/dist";

  private final Config config;
  private final Pool pool;
  private final Metrics metrics;
  private final PrometheusMeterRegistry registry;
  private final Set<IngestConnection> ingest = new HashSet<>();
  private LiveHub hub;
  private HttpServer server;
  private boolean draining;

  private final Access access;
  private final RequestGuard guard;
  private final ConnectionLimits connections;
  private final SharedLimits limits;
  private final RoomAdmission admission;
  /** Connections that have not completed their first request's headers yet, by remote host:port. */
  private final java.util.Map<String, Long> awaitingHeaders = new java.util.HashMap<>();
  /** A connection that has not sent a complete request head within this is closed (slowloris). */
  static final long REQUEST_HEADER_TIMEOUT_MS = 10_000;
  private final Set<ServerWebSocket> sockets = new HashSet<>();
  private long pingTimer = -1;
  private final Placement placement;

  public HttpVerticle(Config config, Pool pool, Metrics metrics, PrometheusMeterRegistry registry, Access access,
                      SharedLimits limits, RoomAdmission admission, Placement placement) {
    this.placement = placement;
    this.limits = limits;
    this.admission = admission;
    this.access = access;
    this.guard = new RequestGuard(!access.enforced() && config.loopback(), config.allowedOrigins());
    this.connections = limits.webSockets();
    this.config = config;
    this.pool = pool;
    this.metrics = metrics;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    IngestPipeline pipeline = new IngestPipeline(vertx,
        new FrameParser(config.maxFrameBytes(), config.maxEventsPerFrame(), System::currentTimeMillis),
        config.aggregators(), metrics, admission, config.rooms().maxOnlinePerRoom(), placement);
    hub = new LiveHub(vertx, config.aggregators(), metrics, config.liveStuckMs(), config.limits().liveWriteQueueBytes(),
        placement);

    Router router = Router.router(vertx);
    router.route().order(-1).handler(this::guardRequest);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.route("/api/*").handler(this::authorize);
    new ApiRoutes(vertx, pool, config.aggregators(), pipeline, hub, limits.posts(), placement).mount(router);
    new AlertRoutes(vertx, new io.livepulse.store.AlertTables(pool)).mount(router);
    router.route("/vendor/echarts/*").handler(StaticHandler.create(ECHARTS).setMaxAgeSeconds(86_400));
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().last().handler(ctx -> ApiRoutes.fail(ctx, 404, "not found: " + ctx.request().path()));
    router.errorHandler(413, ctx -> ApiRoutes.fail(ctx, 413,
        "body exceeds the limit of " + config.maxFrameBytes() + " bytes per frame"));
    router.errorHandler(500, ctx -> ApiRoutes.fail(ctx, 500, "internal error: "
        + (ctx.failure() == null ? "unknown" : ctx.failure().getMessage())));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        // Per-message deflate lets one small frame inflate without bound: switched off.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setMaxWebSocketFrameSize(config.maxFrameBytes() * HARD_FRAME_FACTOR)
        .setMaxWebSocketMessageSize(config.maxFrameBytes() * HARD_FRAME_FACTOR)
        .setCompressionSupported(true)
        // HTTP/1.1 only: with cleartext HTTP/2 detection a connection is set up only once a whole
        // request has arrived, so half-sent requests would escape the connection caps and deadline.
        .setHttp2ClearTextEnabled(false)
        // Clients answer our pings with pongs; one that sends nothing at all for this long is gone.
        .setReadIdleTimeout(config.limits().readIdleSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (config.limits().socketSendBufferBytes() > 0) {
      // Bounds what the kernel holds for a reader that does not read, so conflation starts sooner.
      options.setSendBufferSize(config.limits().socketSendBufferBytes());
    }
    pingTimer = vertx.setPeriodic(config.limits().pingSeconds() * 1000L, id -> {
      for (ServerWebSocket ws : sockets) {
        ws.writePing(Buffer.buffer());
      }
    });
    server = vertx.createHttpServer(options)
        .connectionHandler(this::onConnection)
        .requestHandler(router)
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(ws -> onWebSocket(ws, pipeline));
    return hub.start().compose(v -> server.listen());
  }

  /**
   * Every TCP connection counts against the per-address and total caps, and must complete a request
   * head within {@link #REQUEST_HEADER_TIMEOUT_MS}: half-sent requests cannot pile up.
   */
  private void onConnection(io.vertx.core.http.HttpConnection conn) {
    String address = conn.remoteAddress().hostAddress();
    if (limits.tcp().acquire(address) != 0) {
      conn.close();
      return;
    }
    String key = conn.remoteAddress().toString();
    awaitingHeaders.put(key, vertx.setTimer(REQUEST_HEADER_TIMEOUT_MS, id -> {
      if (awaitingHeaders.remove(key) != null) {
        conn.close();
      }
    }));
    conn.closeHandler(v -> {
      limits.tcp().release(address);
      headersArrived(key);
    });
  }

  private void headersArrived(String remote) {
    Long timer = awaitingHeaders.remove(remote);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** Checks path and origin before the upgrade, so a refused client never gets a WebSocket. */
  private void handshake(ServerWebSocketHandshake hs) {
    headersArrived(hs.remoteAddress().toString());
    if (draining) {
      hs.reject(503);
      return;
    }
    if (!"/ingest".equals(hs.path()) && !"/live".equals(hs.path())) {
      hs.reject(404);
      return;
    }
    if (guard.hostError(hs.authority() == null ? null : hs.authority().host()) != null) {
      hs.reject(421);
      return;
    }
    String wanted = roomOf(hs.uri(), "");
    if ("/live".equals(hs.path()) && !wanted.isEmpty() && !RoomId.valid(wanted)) {
      hs.reject(400);
      return;
    }
    Grant grant = access.grant(hs.headers(), hs.uri()).orElse(null);
    if (grant == null) {
      hs.reject(401);
      return;
    }
    String room = roomOf(hs.uri(), "");
    if ("/ingest".equals(hs.path()) ? !grant.ingest() : !room.isEmpty() && !grant.mayAccess(room)) {
      hs.reject(403);
      return;
    }
    String origin = hs.headers().get("Origin");
    if (!guard.originAllowed(origin, hs.authority() == null ? null : hs.authority().toString())) {
      hs.reject(403);
      return;
    }
    String address = hs.remoteAddress().hostAddress();
    int refused = connections.acquire(address);
    if (refused != 0) {
      hs.reject(refused);
      return;
    }
    hs.accept().onFailure(err -> connections.release(address));
  }

  /**
   * Before any route: a method the server does not speak, a Host it does not answer to, a browser's
   * state-changing request from a foreign Origin, or a POST that is not JSON or NDJSON is refused
   * here. Every answer also carries the headers that keep a token in a page's URL to this origin.
   */
  private void guardRequest(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    headersArrived(req.remoteAddress().toString());
    req.response()
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    String method = req.method().name();
    if (!RequestGuard.standardMethod(method)) {
      ApiRoutes.fail(ctx, 501, "method not implemented");
      return;
    }
    // The authority, not the Host header: an HTTP/2 request (h2c upgrade) carries :authority instead.
    String hostError = guard.hostError(req.authority() == null ? null : req.authority().host());
    if (hostError != null) {
      ApiRoutes.fail(ctx, 421, hostError);
      return;
    }
    boolean changesState = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    if (changesState && !guard.originAllowed(req.headers().get("Origin"), req.authority() == null ? null
        : req.authority().toString())) {
      ApiRoutes.fail(ctx, 403, "Origin " + req.headers().get("Origin") + " may not change state here (--allowed-origins)");
      return;
    }
    if (method.equals("POST")) {
      String typeError = RequestGuard.contentTypeError(req.headers().get("Content-Type"));
      if (typeError != null) {
        ApiRoutes.fail(ctx, 415, typeError);
        return;
      }
    }
    ctx.next();
  }

  /** Pages load only their own scripts, may be framed by nobody, and talk only to their own origin. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private void onWebSocket(ServerWebSocket ws, IngestPipeline pipeline) {
    String address = ws.remoteAddress().hostAddress();
    sockets.add(ws);
    Runnable released = () -> {
      sockets.remove(ws);
      connections.release(address);
    };
    Grant grant = access.grant(ws.headers(), ws.uri()).orElse(null);
    if (grant == null) {
      ws.closeHandler(v -> released.run());
      ws.close((short) 1008, "access token required");
      return;
    }
    if ("/ingest".equals(ws.path())) {
      IngestConnection[] self = new IngestConnection[1];
      self[0] = new IngestConnection(ws, pipeline, metrics, grant, config.limits().ingestEventsPerSecond())
          .start(() -> {
            ingest.remove(self[0]);
            released.run();
          });
      ingest.add(self[0]);
      return;
    }
    String room = roomOf(ws.uri(), null);
    if (room == null || room.isEmpty()) {
      hub.subscribeOverview(ws, grant.seesEverything() ? LiveHub.ALL : grant::mayAccess, released);
    } else {
      hub.subscribeRoom(ws, room, released);
    }
  }

  private static String roomOf(String uri, String fallback) {
    return new QueryStringDecoder(uri).parameters().getOrDefault("room", List.of()).stream().findFirst().orElse(fallback);
  }

  /** Every /api request needs a token when tokens are configured; writing needs an ingest token. */
  private void authorize(RoutingContext ctx) {
    Grant grant = access.grant(ctx.request().headers(), ctx.request().uri()).orElse(null);
    if (grant == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiRoutes.fail(ctx, 401, "a valid access token is required (Authorization: Bearer TOKEN or ?token=TOKEN)");
      return;
    }
    if (ctx.request().method() != HttpMethod.GET && !grant.ingest()) {
      ApiRoutes.fail(ctx, 403, "this token may only read");
      return;
    }
    ctx.put(ApiRoutes.GRANT, grant);
    ctx.next();
  }

  /** Refuses new WebSockets, acks every frame already received, then closes the server. */
  @Override
  public Future<?> stop() {
    draining = true;
    vertx.cancelTimer(pingTimer);
    List<Future<Void>> drains = new ArrayList<>();
    for (IngestConnection c : new ArrayList<>(ingest)) {
      drains.add(c.drainAndClose());
    }
    return Future.join(drains).eventually(() -> hub.stop()).eventually(() -> server.close());
  }

  public int actualPort() {
    return server.actualPort();
  }
}
