package io.livepulse;

import io.livepulse.access.Access;
import io.livepulse.access.Tokens;
import io.livepulse.aggregate.RoomState;
import io.livepulse.api.SharedLimits;
import io.livepulse.api.HttpVerticle;
import io.livepulse.bus.Bus;
import io.livepulse.bus.Placement;
import io.livepulse.cluster.ClusterNode;
import io.livepulse.metrics.Metrics;
import io.livepulse.rooms.RoomAdmission;
import io.livepulse.rooms.RoomOwnerVerticle;
import io.livepulse.store.Database;
import io.livepulse.store.Hydration;
import io.livepulse.store.StoreVerticle;
import io.livepulse.store.TrafficStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.pgclient.PgBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running LivePulse: database, Vert.x, and the verticles in the order the data flows through them.
 * {@link #start} and {@link #stop} block; call them from {@code main} or a test thread, never from an
 * event loop.
 */
public final class LivePulse {
  private static final Logger LOG = Logger.getLogger(LivePulse.class.getName());

  private final Config config;
  private final Database database;
  private final Vertx vertx;
  private final Pool pool;
  private final int port;
  private final List<String> storeIds;
  private final List<String> aggregatorIds;
  private final String httpId;
  private boolean stopped;
  private volatile Runnable onDatabaseLost = () -> { };

  private LivePulse(Config config, Database database, Vertx vertx, Pool pool, int port, List<String> storeIds,
                    List<String> aggregatorIds, String httpId) {
    this.config = config;
    this.database = database;
    this.vertx = vertx;
    this.pool = pool;
    this.port = port;
    this.storeIds = storeIds;
    this.aggregatorIds = aggregatorIds;
    this.httpId = httpId;
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Config config() {
    return config;
  }

  /** What to do when the embedded PostgreSQL died and could not be restarted (the CLI stops the process). */
  public void onDatabaseLost(Runnable action) {
    onDatabaseLost = action;
  }

  /**
   * @throws StartupError for what the user can fix (a setting, a busy port, an unreachable database),
   *     with a message that names the setting and the cause
   */
  public static LivePulse start(Config config) throws IOException {
    notOnAnEventLoop("LivePulse.start");
    config.validate();
    // Settings first: a bad tokens file should not wait for a database to start.
    Tokens tokens = loadTokens(config);
    Database database = config.databaseUrl() != null
        ? Database.external(config.databaseUrl())
        : Database.embedded(config.dataDir());
    try {
      return startOn(config, database, tokens);
    } catch (RuntimeException | IOException e) {
      database.close();
      throw e;
    }
  }

  private static Tokens loadTokens(Config config) {
    if (config.tokensFile() == null) {
      return Tokens.none();
    }
    try {
      return Tokens.load(config.tokensFile());
    } catch (IOException e) {
      throw new StartupError("tokens file " + config.tokensFile() + " (--tokens) cannot be read: "
          + StartupError.rootMessage(e), e);
    }
  }

  private static LivePulse startOn(Config config, Database database, Tokens tokens) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics metrics = new Metrics(registry);
    // epoll instead of Java NIO where Netty's native library loads (Linux x86_64): with 10,000 /live
    // subscribers beside ingest it connected them faster and kept more of the ingest than NIO did
    // (docs/BENCHMARKS.md). Elsewhere Vert.x falls back to NIO on its own.
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    Vertx vertx;
    Placement placement;
    if (config.cluster().enabled()) {
      ClusterNode node;
      try {
        node = ClusterNode.join(options, config.cluster(), b -> b.withMetrics(new MicrometerMetricsFactory(registry)));
      } catch (RuntimeException e) {
        throw new StartupError("the cluster could not be joined on " + config.cluster().host() + ":"
            + config.cluster().port() + " (--cluster-host, --cluster-port): " + StartupError.rootMessage(e), e);
      }
      vertx = node.vertx();
      placement = node;
    } else {
      vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry)).build();
      placement = Placement.single();
    }
    Bus.registerCodecs(vertx);
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.dbPoolSize()))
        // Every statement is a constant (batches are arrays, not generated VALUES lists), so each
        // connection prepares it once: PostgreSQL parsed and planned every execution before.
        .connectingTo(database.connectOptions().setPipeliningLimit(256).setCachePreparedStatements(true))
        .using(vertx)
        .build();
    int port = config.port() == 0 ? freePort(config.host()) : config.port();
    Config bound = config.withPort(port);
    long nowSecond = Math.floorDiv(System.currentTimeMillis(), 1000L);
    try {
      Map<String, RoomState> rooms = Hydration.loadRecent(pool, nowSecond, config.rooms().idleSeconds()).await();
      // In a cluster, this node starts with the recent rooms it owns; the others come to their owners.
      rooms.keySet().removeIf(r -> !placement.owns(r));
      RoomAdmission admission = new RoomAdmission(config.rooms().maxRooms(), config.rooms().maxNewRoomsPerToken());
      List<Map<String, RoomState>> shards = split(rooms, config.aggregators());
      List<String> storeIds = List.of(vertx.deployVerticle(new StoreVerticle(pool, metrics, config.storeBatchEvents(), config.aggregators(),
          config.storeDeadlines(), placement)).await());
      TrafficStore traffic = new TrafficStore(pool);
      List<String> aggregatorIds = new ArrayList<>();
      for (int s = 0; s < config.aggregators(); s++) {
        aggregatorIds.add(vertx.deployVerticle(new RoomOwnerVerticle(s, shards.get(s), traffic, metrics, admission,
            config.saveStateEverySeconds(), config.rooms().idleSeconds(), config.rooms().settings(), placement,
            config.aggregators(), new io.livepulse.store.AlertTables(pool))).await());
      }
      SharedLimits connections = SharedLimits.of(config.limits());
      String httpId = vertx.deployVerticle(() -> new HttpVerticle(bound, pool, metrics, registry, new Access(tokens), connections,
          admission, placement),
          new DeploymentOptions().setInstances(config.httpInstances()))
          .recover(err -> Future.failedFuture(new StartupError("port " + port + " (--port) on " + config.host()
              + " (--host) cannot be bound: " + StartupError.rootMessage(err), err)))
          .await();
      LOG.info("rebuilt " + rooms.size() + " room(s) from " + database.description() + "; network transport: "
          + (vertx.isNativeTransportEnabled() ? "epoll" : "Java NIO"));
      System.out.println("LivePulse listening on port " + port + "  dashboard: http://" + displayHost(config.host())
          + ":" + port + "/");
      if (tokens.configured()) {
        System.out.println("Access: " + tokens.size() + " token(s) from " + config.tokensFile());
      } else if (config.loopback()) {
        System.out.println("Bound to " + config.host() + " only: no access tokens configured (--tokens FILE).");
      } else {
        System.out.println("WARNING: listening on " + config.host() + " WITHOUT access tokens (--insecure): anyone who "
            + "can reach this port can read and write every room.");
      }
      LivePulse app = new LivePulse(bound, database, vertx, pool, port, storeIds, aggregatorIds, httpId);
      database.superviseEmbedded(() -> app.onDatabaseLost.run());
      return app;
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
  }

  private static List<Map<String, RoomState>> split(Map<String, RoomState> rooms, int shards) {
    List<Map<String, RoomState>> out = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      out.add(new HashMap<>());
    }
    rooms.forEach((room, state) -> out.get(Bus.shardOf(room, shards)).put(room, state));
    return out;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  /**
   * Graceful stop, in the direction data flows: stop taking frames and ack those in flight, let the
   * store finish, let the aggregators write their last rows and state, then close the database.
   */
  public synchronized void stop() {
    notOnAnEventLoop("LivePulse.stop");
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      vertx.undeploy(httpId).await();
      for (String id : storeIds) {
        vertx.undeploy(id).await();
      }
      Future.join(aggregatorIds.stream().map(vertx::undeploy).toList()).await();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stopping: " + e.getMessage(), e);
    }
    try {
      pool.close().await();
      vertx.close().await();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing Vert.x: " + e.getMessage(), e);
    }
    try {
      database.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "stopping PostgreSQL: " + e.getMessage(), e);
    }
    LOG.info("LivePulse stopped");
  }

  /** Start and stop wait on futures (await): called from an event loop they would block it, so they refuse. */
  static void notOnAnEventLoop(String what) {
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException(what + " waits for the server; call it from a plain thread, not an event loop");
    }
  }
}
