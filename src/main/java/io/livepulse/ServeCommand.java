package io.livepulse;

import io.livepulse.demo.DemoFeed;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code livepulse serve}: flags (each with an environment variable) into one validated {@link Config}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the server (the default when no subcommand is given).")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

  @Option(names = "--port", defaultValue = "${env:PORT:-8080}",
      description = "HTTP and WebSocket port; 0 picks a free one (env PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "${env:LIVEPULSE_HOST:-127.0.0.1}",
      description = "Address to bind (env LIVEPULSE_HOST, default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--data-dir", defaultValue = "${env:LIVEPULSE_DATA_DIR:-livepulse-data}",
      description = "Where the embedded PostgreSQL keeps its data (env LIVEPULSE_DATA_DIR, default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--database-url", defaultValue = "${env:DATABASE_URL}",
      description = "External PostgreSQL, postgresql://user:password@host:5432/db (env DATABASE_URL); "
          + "without it an embedded PostgreSQL runs under --data-dir.")
  String databaseUrl;

  @Option(names = "--max-frame-bytes", defaultValue = "${env:LIVEPULSE_MAX_FRAME_BYTES:-1048576}",
      description = "Largest ingest frame or POST body (default ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(names = "--max-events-per-frame", defaultValue = "${env:LIVEPULSE_MAX_EVENTS_PER_FRAME:-10000}",
      description = "Most events in one frame (default ${DEFAULT-VALUE}).")
  int maxEvents;

  @Option(names = "--aggregators", description = "Room aggregator shards (default: one per CPU core).")
  Integer aggregators;

  @Option(names = "--http-instances", description = "HTTP/WebSocket server instances (default: one per event loop, twice the CPU cores).")
  Integer httpInstances;

  @Option(names = "--save-state-every", defaultValue = "30",
      description = "Seconds between saves of viewer-side room state (default ${DEFAULT-VALUE}).")
  int saveStateEvery;

  @Option(names = "--db-pool-size", defaultValue = "${env:LIVEPULSE_DB_POOL_SIZE:-8}",
      description = "PostgreSQL connections (default ${DEFAULT-VALUE}).")
  int dbPoolSize;

  @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:LIVEPULSE_ALLOWED_ORIGINS}",
      description = "Browser origins allowed to open WebSockets, comma separated (default: the server's own).")
  List<String> allowedOrigins;

  @Option(names = "--tokens", defaultValue = "${env:LIVEPULSE_TOKENS}",
      description = "Access tokens file (env LIVEPULSE_TOKENS); without it the server binds 127.0.0.1 only.")
  Path tokens;

  @Option(names = "--insecure", defaultValue = "${env:LIVEPULSE_INSECURE:-false}",
      description = "Allow binding a non-loopback --host without access tokens (env LIVEPULSE_INSECURE).")
  boolean insecure;

  @Option(names = "--max-connections", defaultValue = "20000",
      description = "Most open WebSockets in total (default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--max-connections-per-address", defaultValue = "2000",
      description = "Most open WebSockets from one remote address (default ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress;

  @Option(names = "--max-events-per-second", defaultValue = "100000",
      description = "Events per second one /ingest connection may push (default ${DEFAULT-VALUE}).")
  int maxEventsPerSecond;

  @Option(names = "--live-write-queue-bytes", defaultValue = "262144",
      description = "Bytes a /live subscriber may have waiting before updates are conflated (default ${DEFAULT-VALUE}).")
  int liveWriteQueueBytes;

  @Option(names = "--live-stuck-seconds", defaultValue = "30",
      description = "A /live subscriber that cannot take updates for this long is disconnected (default ${DEFAULT-VALUE}).")
  int liveStuckSeconds;

  @Option(names = "--ping-interval", defaultValue = "30", description = "Seconds between WebSocket pings (default ${DEFAULT-VALUE}).")
  int pingSeconds;

  @Option(names = "--idle-timeout", defaultValue = "90",
      description = "Close a connection that sent nothing, not even a pong, for this many seconds (default ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--socket-send-buffer", defaultValue = "0",
      description = "Kernel send buffer per connection in bytes; 0 keeps the system's (default ${DEFAULT-VALUE}).")
  int socketSendBuffer;

  @Option(names = "--max-rooms", description = "Rooms held in memory at once; events that would open more are "
      + "rejected (default 100000).")
  Integer maxRooms;

  @Option(names = "--max-new-rooms-per-token", description = "Rooms one token (without tokens: all producers) "
      + "may open per hour (default 50000).")
  Integer maxNewRoomsPerToken;

  @Option(names = "--room-idle-seconds", description = "A room without events for this long is saved and leaves "
      + "memory; it comes back from PostgreSQL when asked for or when it gets an event (default 1800).")
  Integer roomIdleSeconds;

  @Option(names = "--max-online-per-room", description = "Users one room may hold online (default 2000000).")
  Integer maxOnlinePerRoom;

  @Option(names = "--viewer-idle-minutes", description = "For feeds without leaves: a viewer with no event for "
      + "this long counts as gone, in rooms that do not set their own; 0: never (default 0).")
  Integer viewerIdleMinutes;

  @Option(names = "--source-groups", defaultValue = "${env:LIVEPULSE_SOURCE_GROUPS}",
      description = "Which traffic sources are paid and which private-domain (the rest are natural), as "
      + "group=source,source;... (env LIVEPULSE_SOURCE_GROUPS, default " + io.livepulse.aggregate.SourceGroups.DEFAULT_SPEC + ").")
  String sourceGroups;

  @Option(names = "--cluster", description = "Join or form a cluster of LivePulse nodes (needs --database-url, "
      + "the same for every node; env LIVEPULSE_CLUSTER=true).", defaultValue = "${env:LIVEPULSE_CLUSTER:-false}")
  boolean cluster;

  @Option(names = "--cluster-members", split = ",", defaultValue = "${env:LIVEPULSE_CLUSTER_MEMBERS}",
      description = "Members to contact, host:port,host:port (env LIVEPULSE_CLUSTER_MEMBERS); "
      + "multicast is not used.")
  List<String> clusterMembers;

  @Option(names = "--cluster-port", defaultValue = "${env:LIVEPULSE_CLUSTER_PORT:-5701}",
      description = "This node's cluster port; 0 picks a free one (env LIVEPULSE_CLUSTER_PORT, default ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--cluster-host", defaultValue = "${env:LIVEPULSE_CLUSTER_HOST:-127.0.0.1}",
      description = "The address other nodes reach this node at (env LIVEPULSE_CLUSTER_HOST, default ${DEFAULT-VALUE}).")
  String clusterHost;

  @Option(names = "--demo", description = "Also run a built-in simulator feeding demo rooms through /ingest.")
  boolean demo;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed of the demo feed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--demo-rooms", defaultValue = "12", description = "Rooms in the demo feed (default ${DEFAULT-VALUE}).")
  int demoRooms;

  @Option(names = "--demo-rate", defaultValue = "400", description = "Demo events per second (default ${DEFAULT-VALUE}).")
  int demoRate;

  static final long STOP_DEADLINE_MS = 60_000;

  Config toConfig() {
    return Config.builder()
        .port(port).host(host).dataDir(dataDir).databaseUrl(blankToNull(databaseUrl))
        .maxFrameBytes(maxFrameBytes).maxEventsPerFrame(maxEvents)
        .aggregators(aggregators).httpInstances(httpInstances)
        .saveStateEverySeconds(saveStateEvery).dbPoolSize(dbPoolSize).liveStuckMs(liveStuckSeconds * 1000L)
        .allowedOrigins(allowedOrigins).tokensFile(tokens).insecure(insecure)
        .limits(new Config.Limits(maxConnections, maxConnectionsPerAddress, maxEventsPerSecond, liveWriteQueueBytes,
            pingSeconds, idleSeconds, socketSendBuffer))
        .rooms(new Config.Rooms(
            or(maxRooms, Config.Rooms.DEFAULT.maxRooms()),
            or(maxNewRoomsPerToken, Config.Rooms.DEFAULT.maxNewRoomsPerToken()),
            or(roomIdleSeconds, Config.Rooms.DEFAULT.idleSeconds()),
            or(maxOnlinePerRoom, Config.Rooms.DEFAULT.maxOnlinePerRoom()),
            or(viewerIdleMinutes, Config.Rooms.DEFAULT.viewerIdleMinutes()),
            blankToNull(sourceGroups) != null ? sourceGroups : Config.Rooms.DEFAULT.sourceGroups()))
        .demo(demo ? new Config.Demo(seed, demoRooms, demoRate) : null)
        .cluster(cluster ? new Config.Cluster(true, clusterMembers == null ? List.of()
            : clusterMembers.stream().map(String::strip).filter(m -> !m.isEmpty()).toList(), clusterPort, clusterHost)
            : Config.Cluster.OFF)
        .build();
  }

  private static int or(Integer value, int fallback) {
    return value != null ? value : fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public Integer call() throws Exception {
    Config config;
    try {
      config = toConfig().validate();
    } catch (IllegalArgumentException e) {
      System.err.println("livepulse: " + e.getMessage());
      return 2;
    }
    LivePulse app;
    try {
      app = LivePulse.start(config);
    } catch (StartupError | IllegalArgumentException e) {
      return startFailed(e.getMessage(), e);
    } catch (Exception e) {
      return startFailed("could not start: " + StartupError.rootMessage(e), e);
    }
    DemoFeed feed = config.demo() != null ? DemoFeed.start(app.vertx(), app.port(), config.demo()) : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable shutdown = () -> {
      if (feed != null) {
        feed.stop();
      }
      app.stop();
      stopped.countDown();
    };
    // Our own SIGTERM/SIGINT handling runs the graceful stop before the JVM's shutdown hooks, one of
    // which (the embedded PostgreSQL's) would otherwise stop the database under in-flight commits.
    Signal.handle(new Signal("TERM"), s -> stopThenExit(shutdown, 0));
    Signal.handle(new Signal("INT"), s -> stopThenExit(shutdown, 0));
    app.onDatabaseLost(() -> {
      System.err.println("livepulse: the embedded PostgreSQL died and could not be restarted; stopping (exit 1)");
      stopThenExit(shutdown, 1);
    });
    stopped.await();
    return 0;
  }

  /** One short line for the user; the stack trace only at debug level (FINE) for whoever needs it. */
  private static int startFailed(String message, Throwable e) {
    LOG.log(Level.FINE, "start-up failed", e);
    System.err.println("livepulse: " + message);
    return 2;
  }

  /** Exits even if the graceful stop fails or hangs: a server that will not die is worse. */
  private static void stopThenExit(Runnable shutdown, int exitCode) {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(STOP_DEADLINE_MS);
        System.err.println("livepulse: graceful stop took over " + STOP_DEADLINE_MS / 1000 + " s, exiting");
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    new Thread(() -> {
      int code = exitCode;
      try {
        shutdown.run();
      } catch (RuntimeException | Error e) {
        System.err.println("livepulse: error while stopping: " + e);
        code = 1;
      }
      System.exit(code);
    }, "graceful-stop").start();
  }
}
