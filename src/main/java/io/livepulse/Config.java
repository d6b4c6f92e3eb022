package io.livepulse;

import io.livepulse.aggregate.RoomSettings;
import io.livepulse.aggregate.SourceGroups;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the server needs to know, from flags and environment, checked once at start.
 *
 * @param databaseUrl external PostgreSQL ({@code postgresql://user:pass@host:port/db}), or null for embedded
 */
public record Config(
    int port,
    String host,
    Path dataDir,
    String databaseUrl,
    int maxFrameBytes,
    int maxEventsPerFrame,
    int aggregators,
    int httpInstances,
    int saveStateEverySeconds,
    int storeBatchEvents,
    int dbPoolSize,
    long liveStuckMs,
    List<String> allowedOrigins,
    Path tokensFile,
    boolean insecure,
    Limits limits,
    Rooms rooms,
    StoreDeadlines storeDeadlines,
    Cluster cluster,
    Demo demo) {

  /**
   * Protection against bad or hostile clients; every value is a flag (see {@code serve --help}).
   *
   * @param ingestEventsPerSecond per /ingest connection; a frame beyond it is rejected with an error
   */
  public record Limits(int maxConnections, int maxConnectionsPerAddress, int ingestEventsPerSecond,
                       int liveWriteQueueBytes, int pingSeconds, int readIdleSeconds, int socketSendBufferBytes) {
    public static final Limits DEFAULT = new Limits(20_000, 2_000, 100_000, 256 * 1024, 30, 90, 0);
  }

  /**
   * What rooms may cost. A room idle for {@code idleSeconds} (or ended and idle for a minute) leaves
   * memory and is rebuilt from PostgreSQL when asked for or when it gets an event.
   *
   * @param maxRooms rooms held in memory at once, across all producers
   * @param maxNewRoomsPerToken rooms one token (or, without tokens, one connection) may open per hour
   * @param maxOnlinePerRoom users one room may hold online at once
   * @param viewerIdleMinutes a viewer without events for this long counts as gone (0: never), for rooms
   *     that do not set their own (a {@code room} event's {@code viewerIdleMinutes})
   * @param sourceGroups which traffic sources are paid and private-domain, as {@code paid=ads;private=follow,fans}
   */
  public record Rooms(int maxRooms, int maxNewRoomsPerToken, int idleSeconds, int maxOnlinePerRoom,
                      int viewerIdleMinutes, String sourceGroups) {
    public static final Rooms DEFAULT = new Rooms(100_000, 50_000, 1_800, 2_000_000, 0, SourceGroups.DEFAULT_SPEC);

    public Rooms(int maxRooms, int maxNewRoomsPerToken, int idleSeconds, int maxOnlinePerRoom) {
      this(maxRooms, maxNewRoomsPerToken, idleSeconds, maxOnlinePerRoom, 0, SourceGroups.DEFAULT_SPEC);
    }

    /** What each room of this node gets (validated: {@link Config#validate} parsed the groups already). */
    public RoomSettings settings() {
      return new RoomSettings(maxOnlinePerRoom, viewerIdleMinutes * 60L, SourceGroups.parse(sourceGroups));
    }
  }

  /**
   * How long the store lets a frame wait before answering with what it knows.
   *
   * @param queueMs a frame still queued after this is answered "nothing stored"
   * @param answerMs a frame whose transaction runs this long is answered "outcome unknown"
   */
  public record StoreDeadlines(long queueMs, long answerMs) {
    public static final StoreDeadlines DEFAULT = new StoreDeadlines(30_000, 40_000);
  }

  /**
   * Running as one node of a cluster (contract §11); {@link #OFF} for a single server.
   *
   * @param members host:port of members to contact (this node's own address may be among them)
   * @param port the cluster (Hazelcast) port of this node; 0 picks a free one
   * @param host the address other nodes reach this node at
   */
  public record Cluster(boolean enabled, List<String> members, int port, String host) {
    public static final int DEFAULT_PORT = 5701;
    public static final Cluster OFF = new Cluster(false, List.of(), DEFAULT_PORT, "127.0.0.1");
  }

  /** The built-in demo feed; {@code null} when off. */
  public record Demo(long seed, int rooms, int eventsPerSecond) {
  }

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_EVENTS = 10_000;

  /** Defaults for everything; tests start from here. */
  public static Config defaults() {
    return builder().build();
  }

  /** Throws {@link IllegalArgumentException} naming the flag and the rule when a value is unusable. */
  public Config validate() {
    require(port >= 0 && port <= 65535, "--port must be 0-65535 (0 picks a free port), got " + port);
    require(host != null && !host.isBlank(), "--host must not be empty");
    require(loopback() || tokensFile != null || insecure,
        "--host " + host + " without access tokens would let anyone who can reach it read and write every room; "
            + "configure --tokens FILE, or pass --insecure if that is really what you want");
    require(databaseUrl != null || dataDir != null, "--data-dir is required without --database-url");
    if (databaseUrl != null) {
      require(databaseUrl.startsWith("postgresql://") || databaseUrl.startsWith("postgres://"),
          "--database-url must look like postgresql://user:password@host:5432/database, got " + redact(databaseUrl));
    }
    require(maxFrameBytes >= 1024 && maxFrameBytes <= 64 << 20, "--max-frame-bytes must be 1024-67108864, got " + maxFrameBytes);
    require(maxEventsPerFrame >= 1 && maxEventsPerFrame <= 1_000_000, "--max-events-per-frame must be 1-1000000, got " + maxEventsPerFrame);
    require(aggregators >= 1 && aggregators <= 256, "--aggregators must be 1-256, got " + aggregators);
    require(httpInstances >= 1 && httpInstances <= 256, "--http-instances must be 1-256, got " + httpInstances);
    require(saveStateEverySeconds >= 1, "--save-state-every must be at least 1 second, got " + saveStateEverySeconds);
    require(storeBatchEvents >= 1, "--store-batch-events must be at least 1, got " + storeBatchEvents);
    require(dbPoolSize >= 2 && dbPoolSize <= 100, "--db-pool-size must be 2-100, got " + dbPoolSize);
    require(limits.maxConnections() >= 1, "--max-connections must be at least 1");
    require(limits.maxConnectionsPerAddress() >= 1, "--max-connections-per-address must be at least 1");
    require(limits.ingestEventsPerSecond() >= 1, "--max-events-per-second must be at least 1");
    require(limits.liveWriteQueueBytes() >= 1024, "--live-write-queue-bytes must be at least 1024");
    require(limits.pingSeconds() >= 1 && limits.readIdleSeconds() > limits.pingSeconds(),
        "--idle-timeout must be longer than --ping-interval (both in seconds, at least 1)");
    require(rooms.maxRooms() >= 1, "--max-rooms must be at least 1, got " + rooms.maxRooms());
    require(rooms.maxNewRoomsPerToken() >= 1, "--max-new-rooms-per-token must be at least 1, got "
        + rooms.maxNewRoomsPerToken());
    require(rooms.idleSeconds() >= 10, "--room-idle-seconds must be at least 10, got " + rooms.idleSeconds());
    require(rooms.viewerIdleMinutes() >= 0 && rooms.viewerIdleMinutes() <= 1440,
        "--viewer-idle-minutes must be 0-1440 (0: viewers leave only by a leave event), got " + rooms.viewerIdleMinutes());
    try {
      SourceGroups.parse(rooms.sourceGroups());
    } catch (IllegalArgumentException e) {
      require(false, "--source-groups: " + e.getMessage());
    }
    require(rooms.maxOnlinePerRoom() >= 1, "--max-online-per-room must be at least 1, got " + rooms.maxOnlinePerRoom());
    require(storeDeadlines.queueMs() >= 1 && storeDeadlines.answerMs() > storeDeadlines.queueMs()
        && storeDeadlines.answerMs() < 60_000, "store deadlines must satisfy 0 < queue < answer < 60 s");
    if (cluster.enabled()) {
      require(databaseUrl != null, "--cluster needs --database-url: every node must use the same PostgreSQL "
          + "(an embedded database belongs to one node)");
      require(cluster.port() >= 0 && cluster.port() <= 65535, "--cluster-port must be 0-65535 (0 picks a free port), got "
          + cluster.port());
      require(cluster.host() != null && !cluster.host().isBlank(), "--cluster-host must not be empty");
      for (String m : cluster.members()) {
        require(m.matches("[^:\\s]+(:\\d{1,5})?"), "--cluster-members must be host:port,host:port, got '" + m + "'");
      }
    }
    if (demo != null) {
      require(demo.rooms() >= 1 && demo.rooms() <= 10_000, "--demo-rooms must be 1-10000, got " + demo.rooms());
      require(demo.eventsPerSecond() >= 1, "--demo-rate must be at least 1, got " + demo.eventsPerSecond());
    }
    return this;
  }

  /** Whether the server listens on this machine only. */
  public boolean loopback() {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The URL with its password masked, for logs and error messages. */
  public static String redact(String url) {
    return url == null ? null : url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
  }

  // Adjusting one setting (tests, the bound port); every copy goes through the builder.

  public Config withPort(int p) {
    return toBuilder().port(p).build();
  }

  public Config withDataDir(Path d) {
    return toBuilder().dataDir(d).build();
  }

  public Config withDatabaseUrl(String url) {
    return toBuilder().databaseUrl(url).build();
  }

  public Config withHost(String h, boolean allowInsecure) {
    return toBuilder().host(h).insecure(allowInsecure).build();
  }

  public Config withTokens(Path file) {
    return toBuilder().tokensFile(file).build();
  }

  public Config withMaxFrameBytes(int bytes) {
    return toBuilder().maxFrameBytes(bytes).build();
  }

  public Config withLimits(Limits l) {
    return toBuilder().limits(l).build();
  }

  public Config withLiveStuckMs(long ms) {
    return toBuilder().liveStuckMs(ms).build();
  }

  public Config withAllowedOrigins(List<String> origins) {
    return toBuilder().allowedOrigins(origins).build();
  }

  public Config withRooms(Rooms r) {
    return toBuilder().rooms(r).build();
  }

  public Config withCluster(Cluster c) {
    return toBuilder().cluster(c).build();
  }

  public Config withStoreDeadlines(StoreDeadlines d) {
    return toBuilder().storeDeadlines(d).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.port = port;
    b.host = host;
    b.dataDir = dataDir;
    b.databaseUrl = databaseUrl;
    b.maxFrameBytes = maxFrameBytes;
    b.maxEventsPerFrame = maxEventsPerFrame;
    b.aggregators = aggregators;
    b.httpInstances = httpInstances;
    b.saveStateEverySeconds = saveStateEverySeconds;
    b.storeBatchEvents = storeBatchEvents;
    b.dbPoolSize = dbPoolSize;
    b.liveStuckMs = liveStuckMs;
    b.allowedOrigins = allowedOrigins;
    b.tokensFile = tokensFile;
    b.insecure = insecure;
    b.limits = limits;
    b.rooms = rooms;
    b.storeDeadlines = storeDeadlines;
    b.demo = demo;
    b.cluster = cluster;
    return b;
  }

  /** Every setting with its default; the CLI and tests set only what they change. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private String host = "127.0.0.1";
    private Path dataDir = Path.of("livepulse-data");
    private String databaseUrl;
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private int maxEventsPerFrame = DEFAULT_MAX_EVENTS;
    private int aggregators = Math.max(1, Runtime.getRuntime().availableProcessors());
    /**
     * One per event loop (the server keeps Vert.x's default pool, twice the cores): each hub then
     * writes half as many subscribers per burst as with one per core, and 10,000 subscribers met
     * the push-lag target in 3 of 3 warm runs against 1 of 4 (docs/BENCHMARKS.md, item 24).
     */
    private int httpInstances = Math.min(256, VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    private int saveStateEverySeconds = 30;
    private int storeBatchEvents = 5_000;
    private int dbPoolSize = 8;
    private long liveStuckMs = 30_000;
    private List<String> allowedOrigins = List.of();
    private Path tokensFile;
    private boolean insecure;
    private Limits limits = Limits.DEFAULT;
    private Rooms rooms = Rooms.DEFAULT;
    private StoreDeadlines storeDeadlines = StoreDeadlines.DEFAULT;
    private Demo demo;
    private Cluster cluster = Cluster.OFF;

    private Builder() {
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder databaseUrl(String v) {
      databaseUrl = v;
      return this;
    }

    public Builder maxFrameBytes(int v) {
      maxFrameBytes = v;
      return this;
    }

    public Builder maxEventsPerFrame(int v) {
      maxEventsPerFrame = v;
      return this;
    }

    /** Null keeps the default (one per core). */
    public Builder aggregators(Integer v) {
      aggregators = v != null ? v : aggregators;
      return this;
    }

    /** Null keeps the default (one per core). */
    public Builder httpInstances(Integer v) {
      httpInstances = v != null ? v : httpInstances;
      return this;
    }

    public Builder saveStateEverySeconds(int v) {
      saveStateEverySeconds = v;
      return this;
    }

    public Builder dbPoolSize(int v) {
      dbPoolSize = v;
      return this;
    }

    public Builder liveStuckMs(long v) {
      liveStuckMs = v;
      return this;
    }

    public Builder allowedOrigins(List<String> v) {
      allowedOrigins = v == null ? List.of() : List.copyOf(v);
      return this;
    }

    public Builder tokensFile(Path v) {
      tokensFile = v;
      return this;
    }

    public Builder insecure(boolean v) {
      insecure = v;
      return this;
    }

    public Builder limits(Limits v) {
      limits = v;
      return this;
    }

    public Builder rooms(Rooms v) {
      rooms = v;
      return this;
    }

    public Builder storeDeadlines(StoreDeadlines v) {
      storeDeadlines = v;
      return this;
    }

    public Builder demo(Demo v) {
      demo = v;
      return this;
    }

    public Builder cluster(Cluster v) {
      cluster = v;
      return this;
    }

    public Config build() {
      return new Config(port, host, dataDir, databaseUrl, maxFrameBytes, maxEventsPerFrame, aggregators, httpInstances,
          saveStateEverySeconds, storeBatchEvents, dbPoolSize, liveStuckMs, allowedOrigins, tokensFile, insecure,
          limits, rooms, storeDeadlines, cluster, demo);
    }
  }
}
