package io.livepulse.bench;

import io.livepulse.testing.TempDirs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * The LivePulse benchmark (docs/BENCHMARKS.md). Starts the server under test as its own process,
 * drives it with producers and /live subscribers from this process, and prints the figures.
 *
 * <pre>
 *   scripts/bench.sh platform   # 1,000 rooms, 4 producers, 1,000 subscribers, 60 s, vs the bare ceiling
 *   scripts/bench.sh hot        # one room: 100,000 orders and 2,000,000 viewers in 90 s
 * </pre>
 */
public final class Benchmark {
  static final int FRAME_EVENTS = 100;
  /**
   * Frames each producer keeps in flight: 8, issue 15's stated load (16 until session 12; the server
   * reads up to 64 per connection before pausing it). On 2 full cores, 16 added only queueing: the
   * same build gave twice the ack p99 for no more throughput (docs/BENCHMARKS.md, item 23).
   */
  static final int WINDOW = Integer.getInteger("livepulse.bench.window", 8);
  /** Latency and lag figures leave out the first seconds of load (JIT warm-up, 1,000 snapshots). */
  static final long WARMUP_MS = 5_000;
  /**
   * Alert rules per room for the platform run (-Dlivepulse.bench.rules=20: 20,000 rules over 1,000
   * rooms): one that fires and resolves with the room's orders (its alerts' delay is measured), the
   * others thresholds that never cross, so that all are evaluated every second.
   */
  static int RULES_PER_ROOM = Integer.getInteger("livepulse.bench.rules", 0);
  static volatile long measureFromMs = Long.MAX_VALUE;
  /** Rooms of the platform load (issue 15's cost curve runs it at 100 to 100,000). */
  static final int ROOMS = Integer.getInteger("livepulse.bench.rooms", 1000);

  private Benchmark() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "platform";
    // The fan-out run measures a warm server over its second half: its first ~100 s are the JIT's.
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : mode.equals("hot") ? 90 : mode.equals("fanout") ? 240 : 60;
    StringBuilder report = new StringBuilder();
    report.append(String.format("## %s run, %s%n%n", mode, java.time.ZonedDateTime.now()));
    report.append(machine()).append('\n');
    if (mode.equals("alerts")) {
      // The platform run twice: without rules, then with 20 per room (20,000), one of them firing.
      RULES_PER_ROOM = 0;
      report.append(runPlatform(false, seconds).table("LivePulse, no alert rules")).append('\n');
      RULES_PER_ROOM = 20;
      report.append(runPlatform(false, seconds).table("LivePulse, 20,000 alert rules"));
    } else if (mode.equals("fanout")) {
      int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
      int rate = Integer.getInteger("livepulse.bench.rate", 100_000);
      report.append(runFanout(subscribers, rate, seconds));
    } else if (mode.equals("livepulse")) {
      report.append(runPlatform(false, seconds).table("LivePulse"));
    } else if (mode.equals("redis")) {
      // Issue 15's comparison: the same load, the same figures kept in Redis by a Vert.x endpoint.
      Result redis = runPlatform(Endpoint.REDIS, seconds);
      Result live = runPlatform(Endpoint.LIVEPULSE, seconds);
      report.append(live.table("LivePulse")).append('\n').append(redis.table("Redis endpoint")).append('\n');
      report.append(String.format("LivePulse throughput = %.2f x the Redis endpoint's%n",
          live.eventsPerSecond() / redis.eventsPerSecond()));
    } else if (mode.equals("platform")) {
      Result ceiling = runPlatform(true, seconds);
      Result live = runPlatform(false, seconds);
      report.append(live.table("LivePulse")).append('\n').append(ceiling.table("bare endpoint (ceiling)")).append('\n');
      report.append(String.format("LivePulse throughput = %.2f x the bare-endpoint ceiling%n",
          live.eventsPerSecond() / ceiling.eventsPerSecond()));
    } else {
      report.append(runHot(seconds).table("hot room"));
    }
    System.out.println();
    System.out.println(report);
    Path out = Path.of("target", "bench", mode + ".md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
    System.exit(0);
  }

  static String machine() {
    return String.format("machine: %d cores, %s, Java %s; server and load generator on the same machine; %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        System.getProperty("java.version"), speed());
  }

  /**
   * A fixed single-thread workload (random reads over 64 MB and integer arithmetic), timed on the idle
   * machine before the run (best of 8 rounds, about 3 s). The same build and load have run at up to
   * twice the cost per event on this shared VM, in the server, PostgreSQL and the load generator at
   * once, so a run's figures are read beside how fast the machine was then (BENCHMARKS item 12).
   */
  static String speed() {
    long[] table = new long[8 << 20];
    for (int i = 0; i < table.length; i++) {
      table[i] = i * 0x9E3779B97F4A7C15L;
    }
    long best = Long.MAX_VALUE;
    long sink = 0;
    for (int round = 0; round < 8; round++) {
      long t0 = System.nanoTime();
      long x = round + 1;
      for (int i = 0; i < 20_000_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        sink += table[(int) (x & (table.length - 1))];
      }
      best = Math.min(best, System.nanoTime() - t0);
      sink += x;
    }
    // Printing a bit of the sum keeps the loop from being optimised away.
    return String.format("fixed workload %.0f ms (best of 8; lower is faster; %d)", best / 1e6, sink & 7);
  }

  // ---- the platform run ------------------------------------------------------------------------

  /** What the platform load is sent to: the product, the bare ceiling, or the Redis comparison. */
  enum Endpoint { LIVEPULSE, BARE, REDIS }

  static Result runPlatform(boolean ceiling, int seconds) throws Exception {
    return runPlatform(ceiling ? Endpoint.BARE : Endpoint.LIVEPULSE, seconds);
  }

  static Result runPlatform(Endpoint endpoint, int seconds) throws Exception {
    measureFromMs = Long.MAX_VALUE;
    boolean ceiling = endpoint != Endpoint.LIVEPULSE;
    Path dir = TempDirs.create("livepulse-bench");
    Server server = switch (endpoint) {
      case BARE -> Server.bare();
      case REDIS -> Server.redis();
      case LIVEPULSE -> Server.livepulse(dir);
    };
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      Result r = new Result();
      long heapBefore = ceiling ? 0 : server.heapAfterGc();
      Subscribers subs = ceiling ? null : Subscribers.connect(vertx, server.port, 900, 100, ROOMS);
      if (!ceiling && RULES_PER_ROOM > 0) {
        r.extra += addRules(server, 1000) + "\n";
      }
      r.serverCpuBefore = server.cpuSeconds();
      double dbCpu0 = server.databaseCpuSeconds();
      PlatformLoad load = new PlatformLoad(ROOMS);
      // Paced (-Dlivepulse.bench.rate=N events/s) the machine is not saturated, and the server's CPU
      // per event compares across builds far better than the unpaced throughput does.
      double paced = Integer.getInteger("livepulse.bench.rate", 0) / (double) FRAME_EVENTS;
      Feeder feeder = new Feeder(vertx, server.port, 4, WINDOW, load::frame, paced);
      long wal0 = endpoint == Endpoint.LIVEPULSE ? server.walBytes() : 0;
      r.measure(server, feeder, dbCpu0, () -> feeder.run(seconds));
      if (endpoint == Endpoint.LIVEPULSE) {
        // What PostgreSQL wrote for the run, and what the viewer-state saves are (the largest part of it).
        long wal = server.walBytes() - wal0;
        long[] states = server.savedStates();
        r.extra += String.format("WAL written: %,d bytes (%,.0f bytes per accepted event); saved viewer states at the end:"
            + " %,d rooms, %,d bytes%s%n", wal, wal / (double) Math.max(1, r.feeder.accepted.get()), states[0], states[1],
            states[2] < 0 ? "" : String.format(" in bases and %,d bytes in %,d deltas", states[3], states[2]));
      }
      if (endpoint == Endpoint.REDIS) {
        r.ordersSent = load.distinctOrders.get();
        r.ordersInPostgres = server.ordersInRedis();
        r.extra += "orders counted once: the count of order keys Redis booked (lp:orders), in the row 'orders in PostgreSQL'\n";
      }
      if (subs != null) {
        r.extra += "store: " + server.storeFigures() + "\n";
        r.lag = subs.lag;
        if (!subs.alertDelay.isEmpty()) {
          r.extra += String.format("alert delay p50 / p99 / max: %.0f / %.0f / %.0f ms (%,d alerts seen by the subscribers)%n",
              subs.alertDelay.getQuantile(0.5), subs.alertDelay.getQuantile(0.99), subs.alertDelay.getMaxItem(),
              subs.alertDelay.getN());
        }
        r.worst = subs.worstBySecond;
        r.subscribers = subs.count();
        r.heapAfter = server.heapAfterGc();
        r.heapBefore = heapBefore;
        r.rooms = ROOMS;
        r.distinctViewers = load.distinctViewerRoomPairs();
        r.ordersSent = load.distinctOrders.get();
        r.ordersInPostgres = server.ordersInPostgres();
      }
      return r;
    } finally {
      vertx.close().await();
      server.close();
    }
  }

  /** 95 % viewer, 4 % click, 1 % order (1 in 20 a re-sent id, 1 in 10 a refund instead) over N rooms. */
  static final class PlatformLoad {
    final int rooms;
    final AtomicLong distinctOrders = new AtomicLong();
    final java.util.BitSet[] viewers;

    PlatformLoad(int rooms) {
      this.rooms = rooms;
      this.viewers = new java.util.BitSet[rooms];
      for (int i = 0; i < rooms; i++) {
        viewers[i] = new java.util.BitSet();
      }
    }

    synchronized long distinctViewerRoomPairs() {
      long n = 0;
      for (java.util.BitSet b : viewers) {
        n += b.cardinality();
      }
      return n;
    }

    String frame() {
      java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
      long ts = System.currentTimeMillis();
      StringBuilder sb = new StringBuilder(FRAME_EVENTS * 110).append('[');
      for (int i = 0; i < FRAME_EVENTS; i++) {
        if (i > 0) {
          sb.append(',');
        }
        int room = rnd.nextInt(rooms);
        double x = rnd.nextDouble();
        if (x < 0.95) {
          int user = rnd.nextInt(20_000);
          synchronized (this) {
            viewers[room].set(user);
          }
          sb.append("{\"type\":\"viewer\",\"room\":\"room-").append(room).append("\",\"user\":\"u").append(user)
              .append("\",\"action\":\"").append(rnd.nextDouble() < 0.7 ? "enter" : "leave")
              .append("\",\"source\":\"recommend\",\"ts\":").append(ts).append('}');
        } else if (x < 0.99) {
          sb.append("{\"type\":\"click\",\"room\":\"room-").append(room).append("\",\"user\":\"u")
              .append(rnd.nextInt(20_000)).append("\",\"sku\":\"s").append(rnd.nextInt(30)).append("\",\"ts\":").append(ts)
              .append('}');
        } else {
          long id = distinctOrders.get();
          double y = rnd.nextDouble();
          if (y < 0.1 && id > 100) {
            long old = rnd.nextLong(id);
            sb.append("{\"type\":\"refund\",\"room\":\"room-").append(old % rooms).append("\",\"order\":\"o").append(old)
                .append("\",\"amount\":\"0.01\",\"ts\":").append(ts).append('}');
          } else {
            long order = y < 0.15 && id > 100 ? rnd.nextLong(id) : distinctOrders.getAndIncrement();
            sb.append("{\"type\":\"order\",\"room\":\"room-").append(order % rooms).append("\",\"order\":\"o").append(order)
                .append("\",\"user\":\"u").append(rnd.nextInt(20_000)).append("\",\"sku\":\"s").append(order % 30)
                .append("\",\"qty\":1,\"amount\":\"").append(1 + order % 500).append(".99\",\"ts\":").append(ts).append('}');
          }
        }
      }
      return sb.append(']').toString();
    }
  }

  // ---- the fan-out run -------------------------------------------------------------------------

  /**
   * Issue 15's fan-out: ingest paced at {@code rate} events/s over 1,000 rooms; once 5 s worth of it
   * has been accepted, {@code count} /live subscribers connect at once (one in twenty on the overview,
   * the rest spread over the rooms). Lag of every tick and leaderboard they get: the storm (from the first connect to
   * 20 s after the last one) and the steady state (from 5 s after the last one), with the ticks each
   * subscriber missed or got replaced (seq gaps) in the steady state.
   */
  static String runFanout(int count, int rate, int seconds) throws Exception {
    measureFromMs = Long.MAX_VALUE;
    Subscribers.measureToMs = Long.MAX_VALUE;
    Subscribers.lateFromMs = Long.MAX_VALUE;
    Path dir = TempDirs.create("livepulse-fanout");
    Server server = Server.livepulse(dir, "--max-connections-per-address", String.valueOf(count + 1000));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      PlatformLoad load = new PlatformLoad(1000);
      Feeder feeder = new Feeder(vertx, server.port, 4, WINDOW, load::frame, rate / (double) FRAME_EVENTS);
      double cpu0 = server.cpuSeconds();
      double loadCpu0 = processCpuSeconds();
      double dbCpu0 = server.databaseCpuSeconds();
      Thread ingest = new Thread(() -> {
        try {
          feeder.run(seconds + 5);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      // Subscribers connect once 5 s worth of the paced ingest has been acknowledged.
      feeder.flowingAfterEvents = 5L * rate;
      long ingestEndMs = System.currentTimeMillis() + (seconds + 5) * 1000L;
      ingest.start();
      feeder.flowing.get(60, TimeUnit.SECONDS);
      long connectStart = System.currentTimeMillis();
      Subscribers.stormFromMs = connectStart;
      Subscribers subs = Subscribers.connect(vertx, server.port, count - count / 20, count / 20, 1000);
      long connected = System.currentTimeMillis();
      Subscribers.stormToMs = connected + 20_000;
      measureFromMs = connected + 5_000;
      Subscribers.lateFromMs = measureFromMs + Math.max(0, ingestEndMs - measureFromMs) / 2;
      // The feeder set measureFromMs to its own warm-up when it started, so the storm reached the
      // steady figures until now: they start again from here.
      synchronized (subs.lag) {
        subs.lag.reset();
        subs.lateLag.reset();
        subs.gaps.set(0);
        subs.received.set(0);
      }
      // The server's own lag histogram is read when the steady state starts (a phase of the run, on a
      // timer) and at the end, so that its steady part can be told from the subscribers' figures.
      java.util.concurrent.ScheduledExecutorService at = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      java.util.concurrent.ScheduledFuture<java.util.TreeMap<Double, Double>> steadyStart = at.schedule(
          () -> server.buckets("livepulse_live_push_lag_seconds"), measureFromMs - System.currentTimeMillis(),
          TimeUnit.MILLISECONDS);
      ingest.join();
      at.shutdown();
      Subscribers.measureToMs = System.currentTimeMillis();
      double cpu = server.cpuSeconds() - cpu0;
      double loadCpu = processCpuSeconds() - loadCpu0;
      double dbCpu = server.databaseCpuSeconds() - dbCpu0;
      long measuredTo = System.currentTimeMillis() - 1_000;
      long rss = server.rssBytes();
      String serverSide = server.histogram("livepulse_live_push_lag_seconds");
      String serverSteady = Server.quantiles(server.buckets("livepulse_live_push_lag_seconds"), steadyStart.get());
      long heap = server.heapAfterGc();
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("### %,d /live subscribers (%,d on rooms, %,d on the overview), ingest paced at %,d events/s%n%n",
          subs.count(), count - count / 20, count / 20, rate));
      sb.append("| figure | value |\n|---|---|\n");
      sb.append(String.format("| connect: %,d sockets opened in | %,d ms |%n", subs.count(), connected - connectStart));
      sb.append(String.format("| ingest: accepted events/s over the run (acks p50 / p99) | %,.0f (%.1f / %.1f ms) |%n",
          feeder.accepted.get() / feeder.seconds, feeder.ackMs.getQuantile(0.5), feeder.ackMs.getQuantile(0.99)));
      sb.append(String.format("| storm lag p50 / p99 / max (first connect to 20 s after the last) | %.0f / %.0f / %.0f ms |%n",
          subs.stormLag.getQuantile(0.5), subs.stormLag.getQuantile(0.99), subs.stormLag.getMaxItem()));
      sb.append(String.format("| steady lag p50 / p99 / max (from 5 s after the last connect, %d s) | %.0f / %.0f / %.0f ms |%n",
          (measuredTo - measureFromMs) / 1000, subs.lag.getQuantile(0.5), subs.lag.getQuantile(0.99), subs.lag.getMaxItem()));
      sb.append(String.format("| steady lag p50 / p99 / max, its second half (from %d s after the last connect) | %.0f / %.0f / %.0f ms |%n",
          (Subscribers.lateFromMs - connected) / 1000, subs.lateLag.getQuantile(0.5), subs.lateLag.getQuantile(0.99),
          subs.lateLag.getMaxItem()));
      sb.append(String.format("| steady: updates replaced (seq gaps) / updates received | %,d / %,d |%n",
          subs.gaps.get(), subs.received.get()));
      sb.append(String.format("| CPU over the run: server / its PostgreSQL / load generator (producers and subscribers) "
          + "| %.0f %% / %.0f %% / %.0f %% of one core |%n", 100 * cpu / (seconds + 5), 100 * dbCpu / (seconds + 5),
          100 * loadCpu / (seconds + 5)));
      sb.append(String.format("| server resident memory / heap after GC, at the end | %,d MB / %,d MB |%n",
          rss >> 20, heap >> 20));
      sb.append("| the server's own push lag (end of second to the write call), whole run | " + serverSide + " |\n");
      sb.append("| the server's own push lag, steady state (write calls from 5 s after the last connect) | " + serverSteady + " |\n");
      StringBuilder worst = new StringBuilder();
      synchronized (subs.lag) {
        subs.worstBySecond.tailMap(measureFromMs / 1000).forEach((sec, ms) -> worst.append(sec % 100).append(':')
            .append(ms).append(' '));
      }
      sb.append("| worst lag of each steady second (second mod 100: ms) | " + worst.toString().trim() + " |\n");
      long blocked = new ArrayList<>(server.output).stream().filter(l -> l.contains("has been blocked")).count();
      sb.append("| event-loop blocked warnings in the server's log | " + blocked + " |\n");
      new ArrayList<>(server.output).stream().filter(l -> l.contains("has been blocked") || l.contains("DEBUGLAG"))
          .limit(60).forEach(l -> System.out.println("server: " + l));
      return sb.toString();
    } finally {
      vertx.close().await();
      server.close();
    }
  }

  // ---- the hot-room run ------------------------------------------------------------------------

  static Result runHot(int seconds) throws Exception {
    measureFromMs = Long.MAX_VALUE;
    Path dir = TempDirs.create("livepulse-hot");
    Server.heapArgs = "";
    Server server = Server.livepulse(dir);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      Result r = new Result();
      long heapBefore = server.heapAfterGc();
      Subscribers subs = Subscribers.connect(vertx, server.port, 20, 0, 1);
      // Issue 15's users-in-one-room curve runs this at 1,000 and 100,000 viewers as well.
      long viewers = Long.getLong("livepulse.bench.viewers", 2_000_000);
      long orders = 100_000;
      long events = viewers + orders;
      long frames = events / FRAME_EVENTS;
      AtomicLong nextViewer = new AtomicLong();
      AtomicLong nextOrder = new AtomicLong();
      HotLoad hot = new HotLoad(viewers, orders, nextViewer, nextOrder);
      double framesPerSecond = frames / (double) seconds;
      r.serverCpuBefore = server.cpuSeconds();
      double dbCpu0 = server.databaseCpuSeconds();
      Feeder feeder = new Feeder(vertx, server.port, 4, WINDOW, hot::frame, framesPerSecond);
      r.measure(server, feeder, dbCpu0, () -> feeder.runFrames(frames));
      r.lag = subs.lag;
      r.subscribers = subs.count();
      r.heapBefore = heapBefore;
      r.heapAfter = server.heapAfterGc();
      r.rooms = 1;
      r.distinctViewers = viewers;
      r.ordersSent = orders;
      r.ordersInPostgres = server.ordersInPostgres();
      JsonObject totals = server.get("/api/rooms/hot-0").getJsonObject("totals");
      // Buyer o is user v(19 o): one of the viewers while 19 o < viewers, a further distinct user after.
      long exactUv = viewers + Math.max(0, orders - (viewers + 18) / 19);
      r.extra = "store: " + server.storeFigures() + "\n" + String.format("hot room totals: orders %d, uv %d (exact %d, error %.3f %%), online %d, gmv %s%n",
          totals.getLong("orders"), totals.getLong("uv"), exactUv,
          100.0 * (totals.getLong("uv") - exactUv) / exactUv, totals.getLong("online"), totals.getValue("gmv"));
      return r;
    } finally {
      vertx.close().await();
      server.close();
    }
  }

  /** Viewers entering one room in order, with an order every ~20 viewers. */
  record HotLoad(long viewers, long orders, AtomicLong nextViewer, AtomicLong nextOrder) {
    String frame() {
      long ts = System.currentTimeMillis();
      StringBuilder sb = new StringBuilder(FRAME_EVENTS * 100).append('[');
      for (int i = 0; i < FRAME_EVENTS; i++) {
        if (i > 0) {
          sb.append(',');
        }
        boolean order = i % 21 == 20 && nextOrder.get() < orders;
        if (order || nextViewer.get() >= viewers) {
          long o = nextOrder.getAndIncrement();
          sb.append("{\"type\":\"order\",\"room\":\"hot-0\",\"order\":\"h").append(o).append("\",\"user\":\"v").append(o * 19)
              .append("\",\"sku\":\"flash-").append(o % 3).append("\",\"amount\":\"9.90\",\"ts\":").append(ts).append('}');
        } else {
          sb.append("{\"type\":\"viewer\",\"room\":\"hot-0\",\"user\":\"v").append(nextViewer.getAndIncrement())
              .append("\",\"action\":\"enter\",\"source\":\"recommend\",\"ts\":").append(ts).append('}');
        }
      }
      return sb.append(']').toString();
    }
  }

  // ---- producers -------------------------------------------------------------------------------

  /** Producer connections, each keeping {@code window} frames in flight, optionally paced. */
  static final class Feeder {
    /** How often a paced connection sends the frames that have come due (see {@code drive}). */
    static final long PACE_MS = 10;
    final Vertx vertx;
    final int port;
    final int connections;
    final int window;
    final java.util.function.Supplier<String> frames;
    final double framesPerSecond;
    final KllDoublesSketch ackMs = KllDoublesSketch.newHeapInstance(400);
    /** Per wall-clock second of the measured part: {slowest ack in ms, acks slower than ACK_TARGET_MS}. */
    static final long ACK_TARGET_MS = 50;
    /** The acks of the run's second half, once the JIT has mostly settled (timed runs only). */
    final KllDoublesSketch ackMsSecondHalf = KllDoublesSketch.newHeapInstance(400);
    volatile long secondHalfFromMs = Long.MAX_VALUE;
    final java.util.TreeMap<Long, long[]> ackBySecond = new java.util.TreeMap<>();
    /** Second half: acks, and acks over ACK_TARGET_MS, by the 100 ms of the wall-clock second they were sent in. */
    final long[] acksByPhase = new long[10];
    final long[] slowAcksByPhase = new long[10];
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong framesAcked = new AtomicLong();
    final AtomicLong framesSent = new AtomicLong();
    double seconds;
    volatile long stopAtNanos;
    volatile long frameBudget = Long.MAX_VALUE;
    volatile long startNanos;

    Feeder(Vertx vertx, int port, int connections, int window, java.util.function.Supplier<String> frames,
           double framesPerSecond) {
      this.vertx = vertx;
      this.port = port;
      this.connections = connections;
      this.window = window;
      this.frames = frames;
      this.framesPerSecond = framesPerSecond;
    }

    /** Runs once, half-way through {@link #run}, off the event loops (it reads /proc). */
    Runnable atHalf;
    /** Completed once this many events have been accepted: the load is flowing. */
    long flowingAfterEvents = Long.MAX_VALUE;
    final java.util.concurrent.CompletableFuture<Void> flowing = new java.util.concurrent.CompletableFuture<>();

    void run(int durationSeconds) throws Exception {
      startNanos = System.nanoTime();
      stopAtNanos = startNanos + durationSeconds * 1_000_000_000L;
      secondHalfFromMs = System.currentTimeMillis() + durationSeconds * 500L;
      java.util.concurrent.ScheduledExecutorService half = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      if (atHalf != null) {
        half.schedule(atHalf, durationSeconds * 500L, TimeUnit.MILLISECONDS);
      }
      try {
        go();
      } finally {
        half.shutdownNow();
        half.awaitTermination(10, TimeUnit.SECONDS);
      }
    }

    void runFrames(long count) throws Exception {
      frameBudget = count;
      startNanos = System.nanoTime();
      stopAtNanos = Long.MAX_VALUE;
      go();
    }

    private void go() throws Exception {
      measureFromMs = System.currentTimeMillis() + WARMUP_MS;
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(4 << 20)
          .setMaxMessageSize(4 << 20).setMaxConnections(100));
      List<Future<Void>> done = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        done.add(client.connect(port, "127.0.0.1", "/ingest").compose(this::drive));
      }
      Future.all(done).await();
      seconds = (System.nanoTime() - startNanos) / 1e9;
    }

    private Future<Void> drive(WebSocket ws) {
      Promise<Void> finished = Promise.promise();
      ArrayDeque<Long> sentAt = new ArrayDeque<>();
      Runnable[] pump = new Runnable[1];
      // Paced, a frame not yet due waits for the connection's next pacing tick, which sends every frame
      // due by then. A timer per frame (1,000 a second) kept the load generator's event loop spinning
      // in Netty's select for the last half-millisecond before each deadline: half a core of the two.
      long pacer = framesPerSecond > 0 ? vertx.setPeriodic(PACE_MS, id -> pump[0].run()) : -1;
      pump[0] = () -> {
        while (sentAt.size() < window && System.nanoTime() < stopAtNanos) {
          long n = framesSent.get();
          if (n >= frameBudget) {
            break;
          }
          if (framesPerSecond > 0 && startNanos + (long) (n / framesPerSecond * 1e9) > System.nanoTime()) {
            return;
          }
          if (framesSent.incrementAndGet() > frameBudget) {
            break;
          }
          sentAt.add(System.nanoTime());
          ws.writeTextMessage(frames.get());
        }
        if (sentAt.isEmpty() && !finished.future().isComplete()) {
          if (pacer >= 0) {
            vertx.cancelTimer(pacer);
          }
          finished.tryComplete();
          ws.close();
        }
      };
      ws.textMessageHandler(text -> {
        long t0 = sentAt.poll();
        long now = System.currentTimeMillis();
        if (now >= measureFromMs) {
          double ms = (System.nanoTime() - t0) / 1e6;
          synchronized (ackMs) {
            ackMs.update(ms);
            if (now >= secondHalfFromMs) {
              ackMsSecondHalf.update(ms);
              int phase = (int) (((now - (long) ms) % 1000) / 100);
              acksByPhase[phase]++;
              if (ms > ACK_TARGET_MS) {
                slowAcksByPhase[phase]++;
              }
            }
            long[] sec = ackBySecond.computeIfAbsent(now / 1000, k -> new long[2]);
            sec[0] = Math.max(sec[0], (long) ms);
            if (ms > ACK_TARGET_MS) {
              sec[1]++;
            }
          }
        }
        JsonObject ack = new JsonObject(text);
        if (accepted.addAndGet(ack.getInteger("accepted")) >= flowingAfterEvents) {
          flowing.complete(null);
        }
        duplicates.addAndGet(ack.getInteger("duplicates"));
        rejected.addAndGet(ack.getInteger("rejected"));
        framesAcked.incrementAndGet();
        pump[0].run();
      });
      pump[0].run();
      return finished.future();
    }
  }

  // ---- subscribers -----------------------------------------------------------------------------

  /** /live subscribers measuring push lag: arrival time minus the end of the message's second. */
  static String addRules(Server server, int rooms) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    int n = 0;
    for (int room = 0; room < rooms; room++) {
      for (int k = 0; k < RULES_PER_ROOM; k++) {
        JsonObject rule = k == 0
            // About 3 orders per room-second: "more than 2 this second" flips often, so it fires and
            // resolves all along and its delay is sampled many times.
            ? new JsonObject().put("room", "room-" + room).put("figure", "now.orders").put("op", "above").put("value", 2)
                .put("cooldownSeconds", 0)
            : new JsonObject().put("room", "room-" + room).put("figure", k % 2 == 0 ? "online" : "gmv")
                .put("op", k % 3 == 0 ? "below" : "above").put("value", k % 3 == 0 ? -1 : 1e15).put("seconds", k);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port
            + "/api/alerts/rules")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(rule.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
          throw new IllegalStateException("rule not added: " + res.body());
        }
        n++;
      }
    }
    return String.format("alert rules: %,d (%d per room)", n, RULES_PER_ROOM);
  }

  static final class Subscribers {
    /** The load generator's event loops its subscribers are spread over: one per core. */
    static final int SUBSCRIBER_LOOPS = 2;
    final KllDoublesSketch lag = KllDoublesSketch.newHeapInstance(400);
    /** From the end of the second an alert names to its arrival. */
    final KllDoublesSketch alertDelay = KllDoublesSketch.newHeapInstance(400);
    final List<WebSocket> sockets = new ArrayList<>();
    final java.util.TreeMap<Long, Long> worstBySecond = new java.util.TreeMap<>();
    /** The fan-out run's storm window (epoch ms), measured apart from the steady state. */
    static volatile long stormFromMs = Long.MAX_VALUE;
    static volatile long stormToMs = Long.MIN_VALUE;
    /**
     * The end of the measurement: what arrives later is not counted (the harness then forces a full GC
     * in the server to read its heap, which would show up as a late tick).
     */
    static volatile long measureToMs = Long.MAX_VALUE;
    final KllDoublesSketch stormLag = KllDoublesSketch.newHeapInstance(400);
    /**
     * The steady state's second half: a server's JIT compiles for its first ~100 s (item 22 of
     * docs/BENCHMARKS.md), so in a short run the whole steady state measures a server still compiling.
     */
    static volatile long lateFromMs = Long.MAX_VALUE;
    final KllDoublesSketch lateLag = KllDoublesSketch.newHeapInstance(400);
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    /** Held while the subscribers live: Vert.x closes a client nothing refers to any more. */
    WebSocketClient client;

    static Subscribers connect(Vertx vertx, int port, int roomSubs, int overviewSubs, int rooms) {
      Subscribers s = new Subscribers();
      WebSocketClient client = s.client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(roomSubs + overviewSubs).setMaxFrameSize(4 << 20).setMaxMessageSize(4 << 20));
      // Spread over the load generator's event loops, as browsers are spread over machines: from this
      // thread every socket would land on one loop, which then reads all 10,000 updates of a second in
      // turn and measures its own queue.
      List<io.vertx.core.Context> loops = java.util.Collections.synchronizedList(new ArrayList<>());
      vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
        @Override
        public Future<?> start() {
          loops.add(context);
          return Future.succeededFuture();
        }
      }, new io.vertx.core.DeploymentOptions().setInstances(SUBSCRIBER_LOOPS)).await();
      List<Future<WebSocket>> all = new ArrayList<>();
      for (int i = 0; i < roomSubs + overviewSubs; i++) {
        String uri = i < roomSubs ? "/live?room=" + (rooms == 1 ? "hot-0" : "room-" + (i * 7919 % rooms)) : "/live";
        Promise<WebSocket> connected = Promise.promise();
        loops.get(i % loops.size()).runOnContext(v -> {
          io.vertx.core.http.ClientWebSocket ws = client.webSocket();
          long[] lastSeq = {-1};
          ws.textMessageHandler(text -> {
            s.onMessage(text);
            s.countSeq(text, lastSeq);
          });
          ws.connect(port, "127.0.0.1", uri).onComplete(connected);
        });
        all.add(connected.future());
      }
      for (Future<WebSocket> f : all) {
        s.sockets.add(f.await());
      }
      return s;
    }

    int count() {
      return sockets.size();
    }

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    /** In the steady state, a jump in a socket's seq is an update it never got (replaced by a newer one). */
    void countSeq(String text, long[] lastSeq) {
      if (System.currentTimeMillis() < measureFromMs) {
        lastSeq[0] = -1;
        return;
      }
      Matcher m = SEQ.matcher(text.length() > 120 ? text.substring(0, 120) : text);
      if (m.find()) {
        long seq = Long.parseLong(m.group(1));
        if (lastSeq[0] >= 0 && seq > lastSeq[0] + 1) {
          gaps.addAndGet(seq - lastSeq[0] - 1);
        }
        lastSeq[0] = seq;
        received.incrementAndGet();
      }
    }

    private static final Pattern TYPE = Pattern.compile("\"type\":\"(tick|leaderboard|alert)\".*?\"second\":(\\d+)");

    void onMessage(String text) {
      long now = System.currentTimeMillis();
      Matcher m = TYPE.matcher(text.length() > 300 ? text.substring(0, 300) : text);
      if (m.find()) {
        long second = Long.parseLong(m.group(2));
        long l = Math.max(0, now - (second + 1) * 1000);
        if (now > measureToMs) {
          return;
        }
        synchronized (lag) {
          if ("alert".equals(m.group(1))) {
            if (second * 1000 >= measureFromMs) {
              alertDelay.update(l);
            }
            return;
          }
          if (second * 1000 >= measureFromMs) {
            lag.update(l);
          }
          if (second * 1000 >= lateFromMs) {
            lateLag.update(l);
          }
          if (now >= stormFromMs && now <= stormToMs) {
            stormLag.update(l);
          }
          worstBySecond.merge(second, l, Math::max);
        }
      }
    }
  }

  // ---- the server under test -------------------------------------------------------------------

  static final class Server implements AutoCloseable {
    final Process process;
    final int port;
    /** Everything the server printed, still growing while it runs. */
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    final HttpClient http = HttpClient.newHttpClient();

    Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Server livepulse(Path dir, String... extra) throws Exception {
      Server s = livepulseProcess(dir, extra);
      s.dataDir = dir;
      return s;
    }

    static Server livepulseProcess(Path dir, String... extra) throws Exception {
      List<String> cmd = new ArrayList<>(javaCommand());
      if (System.getenv("LIVEPULSE_BENCH_JFR") != null) {
        Files.createDirectories(Path.of("target", "bench"));
        cmd.add("-XX:StartFlightRecording=filename=target/bench/server.jfr,settings=profile,dumponexit=true");
      }
      cmd.addAll(List.of("-jar", System.getProperty("livepulse.bench.jar", "target/livepulse.jar"), "serve", "--port", "0", "--data-dir", dir.toString(),
          "--max-events-per-second", "1000000"));
      // The load generator's sockets all come from one address.
      cmd.addAll(extra.length > 0 ? List.of(extra) : List.of("--max-connections-per-address", "5000"));
      // More flags for the server, e.g. "--max-new-rooms-per-token 1000000" for the 100,000-room run.
      String more = System.getProperty("livepulse.bench.serverArgs", "").strip();
      if (!more.isEmpty()) {
        cmd.addAll(List.of(more.split("\\s+")));
      }
      return start(cmd, Pattern.compile("listening on port (\\d+)"), 0);
    }

    static Server bare() throws Exception {
      int port = freePort();
      String cp = System.getProperty("java.class.path");
      return start(javaCommand("-cp", cp, BareEndpoint.class.getName(), Integer.toString(port)),
          Pattern.compile("bare endpoint listening on port (\\d+)"), port);
    }

    /**
     * Debian's {@code redis-server} without persistence (the comparison keeps no durable orders), and
     * the {@link RedisEndpoint} in front of it; the Redis process's CPU is reported as the database's.
     */
    static Server redis() throws Exception {
      int redisPort = freePort();
      Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).start();
      BufferedReader log = new BufferedReader(new InputStreamReader(redis.getInputStream(), StandardCharsets.UTF_8));
      for (String line = log.readLine(); ; line = log.readLine()) {
        if (line == null) {
          throw new IllegalStateException("redis-server did not start (is Debian's redis-server installed?)");
        }
        if (line.contains("Ready to accept connections")) {
          break;
        }
      }
      Thread drain = new Thread(() -> {
        try {
          while (log.readLine() != null) {
            // Redis's log is not needed once it is up; read so that it never blocks on a full pipe.
          }
        } catch (java.io.IOException closed) {
          // the benchmark closed Redis
        }
      });
      drain.setDaemon(true);
      drain.start();
      int port = freePort();
      Server s = start(javaCommand("-cp", System.getProperty("java.class.path"), RedisEndpoint.class.getName(),
          Integer.toString(port), Integer.toString(redisPort)), Pattern.compile("redis endpoint listening on port (\\d+)"), port);
      s.sidecar = redis;
      s.sidecarPort = redisPort;
      return s;
    }

    static int freePort() throws Exception {
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        return s.getLocalPort();
      }
    }

    /** A second process that belongs to the endpoint under test (Redis), closed with it. */
    Process sidecar;
    int sidecarPort;

    long ordersInRedis() throws Exception {
      Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(sidecarPort), "GET", "lp:orders").start();
      String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      cli.waitFor(30, TimeUnit.SECONDS);
      return out.isEmpty() ? 0 : Long.parseLong(out);
    }

    static String javaBin() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The heap every server JVM of a run gets, as the README advises for production: fixed and touched
     * at start. A heap that grows under load faults in each new page while the run measures (on this
     * VM 23 % of all CPU samples of a fan-out run were the kernel zeroing such pages). The hot run
     * leaves it out: its target is the default heap.
     */
    static String heapArgs = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch";

    /** JVM flags for the server, e.g. "-Dio.netty.transport.noNative=true" to compare with Java NIO. */
    static List<String> serverJvmArgs() {
      String jvm = System.getProperty("livepulse.bench.serverJvmArgs", heapArgs).strip();
      return jvm.isEmpty() ? List.of() : List.of(jvm.split("\\s+"));
    }

    static List<String> javaCommand(String... args) {
      List<String> cmd = new ArrayList<>(List.of(javaBin()));
      cmd.addAll(serverJvmArgs());
      cmd.addAll(List.of(args));
      return cmd;
    }

    static Server start(List<String> cmd, Pattern ready, int knownPort) throws Exception {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<Map.Entry<Pattern, CompletableFuture<Void>>> waiters = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<Integer> port = new CompletableFuture<>();
      List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
      String logTo = System.getProperty("livepulse.bench.serverLog");
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             java.io.PrintWriter log = logTo == null ? null : new java.io.PrintWriter(
                 java.nio.file.Files.newBufferedWriter(Path.of(logTo), StandardCharsets.UTF_8), true)) {
          String line;
          while ((line = r.readLine()) != null) {
            out.add(line);
            if (log != null) {
              log.println(line);
            }
            for (Map.Entry<Pattern, CompletableFuture<Void>> w : waiters) {
              if (w.getKey().matcher(line).find()) {
                w.getValue().complete(null);
              }
            }
            Matcher m = ready.matcher(line);
            if (m.find()) {
              port.complete(Integer.parseInt(m.group(1)));
            }
          }
          port.completeExceptionally(new IllegalStateException(String.join("\n", out)));
        } catch (Exception e) {
          port.completeExceptionally(e);
        }
      });
      t.setDaemon(true);
      t.start();
      Server s = new Server(p, port.get(120, TimeUnit.SECONDS));
      s.output = out;
      s.waiters = waiters;
      return s;
    }

    Path dataDir;
    /** Lines awaited in the server's output (see {@link #printed}), checked as each line arrives. */
    List<Map.Entry<Pattern, CompletableFuture<Void>>> waiters = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Completes when the server prints a line matching {@code pattern} (or already did). */
    CompletableFuture<Void> printed(Pattern pattern) {
      CompletableFuture<Void> seen = new CompletableFuture<>();
      waiters.add(Map.entry(pattern, seen));
      synchronized (output) {
        if (output.stream().anyMatch(l -> pattern.matcher(l).find())) {
          seen.complete(null);
        }
      }
      return seen;
    }

    /** CPU of the embedded PostgreSQL: the postmaster, its live children, and its reaped children. */
    double databaseCpuSeconds() throws Exception {
      if (sidecar != null) {
        return statCpuSeconds(Path.of("/proc", Long.toString(sidecar.pid()), "stat"));
      }
      if (dataDir == null) {
        return 0;
      }
      long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(0).trim());
      double total = 0;
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
          try {
            String[] f = Files.readString(p.resolve("stat")).split("\\) ")[1].split(" ");
            long ppid = Long.parseLong(f[1]);
            long pid = Long.parseLong(p.getFileName().toString());
            if (pid == postmaster || ppid == postmaster) {
              total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
              if (pid == postmaster) {
                total += (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
              }
            }
          } catch (Exception gone) {
            // a process that ended while we looked
          }
        }
      }
      return total;
    }

    String storeFigures() throws Exception {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString());
      double commitCount = 0;
      double commitSum = 0;
      double batchSum = 0;
      for (String line : res.body().split("\n")) {
        double v = line.startsWith("#") || !line.contains(" ") ? 0 : Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (line.startsWith("livepulse_store_commit_latency_seconds_count")) {
          commitCount = v;
        } else if (line.startsWith("livepulse_store_commit_latency_seconds_sum")) {
          commitSum = v;
        } else if (line.startsWith("livepulse_store_batch_events_sum")) {
          batchSum = v;
        }
      }
      return String.format("%,.0f transactions, %.1f ms each on average, %.0f orders/refunds/room events each",
          commitCount, 1000 * commitSum / Math.max(1, commitCount), batchSum / Math.max(1, commitCount));
    }

    /** p50 / p99 of a Prometheus histogram (seconds), from its cumulative buckets. */
    String histogram(String name) throws Exception {
      return quantiles(buckets(name), new java.util.TreeMap<>());
    }

    /** A Prometheus histogram's cumulative bucket counts by upper bound (seconds), +Inf left out. */
    java.util.TreeMap<Double, Double> buckets(String name) throws Exception {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString());
      java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
      Pattern bucket = Pattern.compile(Pattern.quote(name) + "_bucket\\{.*le=\"([^\"]+)\".*\\} (\\S+)");
      for (String line : res.body().split("\n")) {
        Matcher m = bucket.matcher(line);
        if (m.find() && !m.group(1).equals("+Inf")) {
          buckets.merge(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double::sum);
        }
      }
      return buckets;
    }

    /** p50 / p99 of what was recorded between two readings of the same histogram ({@code before} may be empty). */
    static String quantiles(java.util.TreeMap<Double, Double> after, java.util.TreeMap<Double, Double> before) {
      if (after.isEmpty()) {
        return "n/a";
      }
      java.util.TreeMap<Double, Double> counts = new java.util.TreeMap<>();
      after.forEach((le, n) -> counts.put(le, n - before.getOrDefault(le, 0.0)));
      double total = counts.lastEntry().getValue();
      StringBuilder out = new StringBuilder();
      for (double q : new double[] {0.5, 0.99}) {
        for (var e : counts.entrySet()) {
          if (e.getValue() >= q * total) {
            out.append(out.length() == 0 ? "" : " / ").append(String.format("<= %.0f ms", e.getKey() * 1000));
            break;
          }
        }
      }
      return out + " (p50 / p99, histogram buckets)";
    }

    long rssBytes() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return -1;
    }

    /** CPU of the server's Vert.x event-loop threads (from /proc: each thread's name and times). */
    double eventLoopCpuSeconds() throws Exception {
      double total = 0;
      try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
        for (Path t : tasks.toList()) {
          try {
            if (Files.readString(t.resolve("comm")).startsWith("vert.x-eventloo")) {
              total += statCpuSeconds(t.resolve("stat"));
            }
          } catch (java.io.IOException gone) {
            // a thread that ended while we looked
          }
        }
      }
      return total;
    }

    double cpuSeconds() throws Exception {
      return statCpuSeconds(Path.of("/proc", Long.toString(process.pid()), "stat"));
    }

    /** User plus system time of a process or thread, from its /proc stat file (clock ticks of 10 ms). */
    static double statCpuSeconds(Path stat) throws java.io.IOException {
      String[] f = Files.readString(stat).split("\\) ")[1].split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    JsonObject get(String path) throws Exception {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new JsonObject(res.body());
    }

    long heapAfterGc() throws Exception {
      new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString());
      long heap = 0;
      for (String line : res.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
          heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return heap;
    }

    long ordersInPostgres() throws Exception {
      return queryLong("SELECT count(*) FROM orders");
    }

    /** Bytes of WAL the embedded PostgreSQL has written since it was created. */
    long walBytes() throws Exception {
      return queryLong("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
    }

    /** The saved viewer states as they are now: rooms and bytes of the bases, deltas and their bytes (-1: none kept). */
    long[] savedStates() throws Exception {
      long deltas = -1;
      long deltaBytes = -1;
      try {
        deltas = queryLong("SELECT count(*) FROM room_state_delta");
        deltaBytes = queryLong("SELECT coalesce(sum(octet_length(state)), 0) FROM room_state_delta");
      } catch (Exception e) {
        // A build from before the deltas (V11), run with -Dlivepulse.bench.jar.
      }
      return new long[] {queryLong("SELECT count(*) FROM room_state"),
          queryLong("SELECT coalesce(sum(octet_length(state)), 0) FROM room_state"), deltas, deltaBytes};
    }

    private long queryLong(String sql) throws Exception {
      int pgPort = -1;
      for (String line : new ArrayList<>(output)) {
        Matcher m = Pattern.compile("embedded PostgreSQL on port (\\d+)").matcher(line);
        if (m.find()) {
          pgPort = Integer.parseInt(m.group(1));
        }
      }
      Vertx v = Vertx.vertx();
      try {
        Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(pgPort)
            .setDatabase("postgres").setUser("postgres")
            // The embedded database needs its password (written by the server beside its data).
            .setPassword(Files.readString(dataDir.resolve("pg-password")).strip())).using(v).build();
        return pool.query(sql).execute().await().iterator().next().getLong(0);
      } finally {
        v.close().await();
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      if (sidecar != null) {
        sidecar.destroy();
        sidecar.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
        / 1e9;
  }

  // ---- results ---------------------------------------------------------------------------------

  static final class Result {
    Feeder feeder;
    KllDoublesSketch lag;
    double seconds;
    double serverCpu;
    double serverCpuBefore;
    double loadCpu;
    double databaseCpu;
    long heapBefore;
    long heapAfter;
    int rooms;
    int subscribers;
    long distinctViewers;
    long ordersSent;
    long ordersInPostgres = -1;
    String extra = "";
    java.util.TreeMap<Long, Long> worst;

    interface Load {
      void run() throws Exception;
    }

    /** Runs the load and records its duration and the CPU each side used meanwhile. */
    /** Event-loop CPU per acknowledged event over the second half of the run (after the JIT's warm-up). */
    double steadyLoopMicrosPerEvent = -1;
    /** Accepted events/s over the second half of the run, once the JIT has mostly settled. */
    double secondHalfAcceptedPerSecond = -1;

    void measure(Server server, Feeder f, double dbCpu0, Load load) throws Exception {
      double loadCpu0 = processCpuSeconds();
      Subscribers.measureToMs = Long.MAX_VALUE;
      // In the first 30 s the server's C2 compiler takes up to 40 % of a core (measured per thread): the
      // whole-run CPU per event counts that warm-up; the event loops' CPU over the second half does not.
      double[] half = {-1, 0, 0, 0};
      if (f.frameBudget == Long.MAX_VALUE) {
        // Half-way through the run (a phase of the load, not a wait for an event): the feeder says when.
        f.atHalf = () -> {
          try {
            half[0] = server.eventLoopCpuSeconds();
            half[1] = f.accepted.get() + f.duplicates.get() + f.rejected.get();
            half[2] = f.accepted.get();
            half[3] = System.nanoTime();
          } catch (Exception e) {
            half[0] = -1;
          }
        };
      }
      load.run();
      if (half[1] > 0 && half[0] >= 0) {
        double events = f.accepted.get() + f.duplicates.get() + f.rejected.get() - half[1];
        steadyLoopMicrosPerEvent = 1e6 * (server.eventLoopCpuSeconds() - half[0]) / Math.max(1, events);
        secondHalfAcceptedPerSecond = (f.accepted.get() - half[2]) / ((System.nanoTime() - half[3]) / 1e9);
      }
      Subscribers.measureToMs = System.currentTimeMillis();
      loadCpu = processCpuSeconds() - loadCpu0;
      serverCpu = server.cpuSeconds() - serverCpuBefore;
      databaseCpu = server.databaseCpuSeconds() - dbCpu0;
      seconds = f.seconds;
      feeder = f;
    }

    double eventsPerSecond() {
      return (feeder.accepted.get() + feeder.duplicates.get() + feeder.rejected.get()) / seconds;
    }

    String table(String name) {
      StringBuilder sb = new StringBuilder();
      sb.append("### ").append(name).append("\n\n| figure | value |\n|---|---|\n");
      row(sb, "events acknowledged", String.format("%,d in %.1f s (%,d frames)",
          feeder.accepted.get() + feeder.duplicates.get() + feeder.rejected.get(), seconds, feeder.framesAcked.get()));
      row(sb, "accepted events/s", String.format("%,.0f", feeder.accepted.get() / seconds));
      if (secondHalfAcceptedPerSecond >= 0) {
        row(sb, "accepted events/s, second half of the run", String.format("%,.0f", secondHalfAcceptedPerSecond));
      }
      row(sb, "acknowledged events/s (accepted + duplicate + rejected)", String.format("%,.0f", eventsPerSecond()));
      row(sb, "duplicates / rejected", feeder.duplicates.get() + " / " + feeder.rejected.get());
      row(sb, "ack latency p50 / p99 / max (after a 5 s warm-up)", String.format("%.1f / %.1f / %.1f ms", feeder.ackMs.getQuantile(0.5),
          feeder.ackMs.getQuantile(0.99), feeder.ackMs.getMaxItem()));
      if (!feeder.ackMsSecondHalf.isEmpty()) {
        row(sb, "ack latency p50 / p99 / max, second half of the run", String.format("%.1f / %.1f / %.1f ms",
            feeder.ackMsSecondHalf.getQuantile(0.5), feeder.ackMsSecondHalf.getQuantile(0.99),
            feeder.ackMsSecondHalf.getMaxItem()));
      }
      if (!feeder.ackBySecond.isEmpty()) {
        var bySecond = feeder.ackBySecond;
        long slow = bySecond.values().stream().filter(v -> v[1] > 0).count();
        long slowAcks = bySecond.values().stream().mapToLong(v -> v[1]).sum();
        StringBuilder w = new StringBuilder();
        bySecond.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(5)
            .forEach(e -> w.append(String.format("%d s: %d acks, slowest %d ms; ", e.getKey() - bySecond.firstKey(),
                e.getValue()[1], e.getValue()[0])));
        if (Boolean.getBoolean("livepulse.bench.ackSeconds")) {
          StringBuilder all = new StringBuilder();
          bySecond.forEach((sec, v) -> all.append(sec - bySecond.firstKey()).append(":").append(v[1]).append("/").append(v[0]).append(" "));
          extra = extra + "acks over the target by second (second:count/slowest ms): " + all + "\n";
        }
        extra = extra + String.format("acks over %d ms: %,d in %d of %d measured seconds; most: %s%n", Feeder.ACK_TARGET_MS,
            slowAcks, slow, bySecond.size(), w);
        StringBuilder phases = new StringBuilder();
        for (int i = 0; i < 10; i++) {
          phases.append(String.format("%d-%d ms: %,d of %,d; ", i * 100, i * 100 + 99, feeder.slowAcksByPhase[i],
              feeder.acksByPhase[i]));
        }
        extra = extra + String.format("second half, acks over %d ms by when in the second their frame was sent: %s%n",
            Feeder.ACK_TARGET_MS, phases);
      }
      if (worst != null && !worst.isEmpty()) {
        StringBuilder w = new StringBuilder();
        worst.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(5)
            .forEach(e -> w.append(String.format("%d s: %d ms; ", e.getKey() - worst.firstKey(), e.getValue())));
        extra = extra + "worst push-lag seconds (from the first subscribed second): " + w + "\n";
      }
      if (lag != null && !lag.isEmpty()) {
        row(sb, "push lag p50 / p99 / max (" + subscribers + " subscribers, after a 5 s warm-up)", String.format("%.0f / %.0f / %.0f ms",
            lag.getQuantile(0.5), lag.getQuantile(0.99), lag.getMaxItem()));
      }
      row(sb, "server CPU per acknowledged event", String.format("%.1f µs", 1e6 * serverCpu
          / Math.max(1, feeder.accepted.get() + feeder.duplicates.get() + feeder.rejected.get())));
      if (databaseCpu > 0) {
        row(sb, "its PostgreSQL's CPU per acknowledged event", String.format("%.2f µs", 1e6 * databaseCpu
            / Math.max(1, feeder.accepted.get() + feeder.duplicates.get() + feeder.rejected.get())));
      }
      if (steadyLoopMicrosPerEvent >= 0) {
        row(sb, "server event-loop CPU per acknowledged event, second half of the run", String.format("%.1f µs",
            steadyLoopMicrosPerEvent));
      }
      row(sb, "CPU: server JVM / its PostgreSQL / load generator", String.format(
          "%.1f s (%.0f %% of one core) / %.1f s (%.0f %%) / %.1f s (%.0f %%)", serverCpu, 100 * serverCpu / seconds,
          databaseCpu, 100 * databaseCpu / seconds, loadCpu, 100 * loadCpu / seconds));
      if (heapAfter > 0) {
        row(sb, "server heap after GC: before / after", String.format("%,d / %,d bytes", heapBefore, heapAfter));
        long delta = heapAfter - heapBefore;
        row(sb, "bytes per room", String.format("%,d", delta / Math.max(1, rooms)));
        row(sb, "bytes per distinct viewer (per room)", String.format("%.1f (%,d viewer-room pairs)",
            (double) delta / Math.max(1, distinctViewers), distinctViewers));
      }
      if (ordersInPostgres >= 0) {
        row(sb, "orders in PostgreSQL / distinct orders acknowledged", ordersInPostgres + " / " + ordersSent
            + (ordersInPostgres == ordersSent ? " (equal)" : " (DIFFERENT)"));
      }
      sb.append('\n').append(extra);
      return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
      sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }
  }

  static {
    Locale.setDefault(Locale.ROOT);
  }
}
