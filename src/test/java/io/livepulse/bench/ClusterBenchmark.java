package io.livepulse.bench;

import io.livepulse.testing.ExternalPostgres;
import io.livepulse.testing.TempDirs;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What clustering costs on one 2-core machine, where no speed-up can show: the same load (the platform
 * mix of {@link Benchmark}, a fixed number of frames) through one node, then through a 3-node cluster
 * (producers spread over the nodes, so about two events in three go to another node), both on one
 * Debian PostgreSQL. Reports the nodes' CPU seconds per million events, ack latency and the push lag
 * of ticks to subscribers on a node that owns only a third of the rooms.
 *
 * <p>{@code scripts/cluster-bench.sh [FRAMES]} runs it (default 6,000 frames of 100 events).
 */
public final class ClusterBenchmark {
  private ClusterBenchmark() {
  }

  record Run(String name, long events, double seconds, double nodeCpu, KllDoublesSketch ack, KllDoublesSketch lag) {
    double cpuPerMillion() {
      return nodeCpu / (events / 1e6);
    }
  }

  public static void main(String[] args) throws Exception {
    long frames = args.length > 0 ? Long.parseLong(args[0]) : 6_000;
    StringBuilder report = new StringBuilder();
    report.append(String.format("## cluster cost, %s%n%n", java.time.ZonedDateTime.now())).append(Benchmark.machine())
        .append(String.format("load: %,d frames of %d events (95 %% viewer, 4 %% click, 1 %% order) over 1,000 rooms, "
            + "%d frames in flight per connection, 6 connections; 90 room subscribers on the last node%n%n",
            frames, Benchmark.FRAME_EVENTS, Benchmark.WINDOW));
    try (ExternalPostgres pg = ExternalPostgres.start()) {
      Run one = run("1 node", 1, frames, pg);
      Run three = run("3-node cluster", 3, frames, pg);
      report.append("| figure | 1 node | 3-node cluster |\n|---|---|---|\n");
      report.append(String.format("| events acknowledged | %,d in %.1f s | %,d in %.1f s |%n", one.events(), one.seconds(),
          three.events(), three.seconds()));
      report.append(String.format("| CPU of the node JVMs | %.1f s | %.1f s (all three) |%n", one.nodeCpu(), three.nodeCpu()));
      report.append(String.format("| CPU seconds per million events | %.2f | %.2f (%.2f x) |%n", one.cpuPerMillion(),
          three.cpuPerMillion(), three.cpuPerMillion() / one.cpuPerMillion()));
      report.append(String.format("| ack latency p50 / p99 | %.1f / %.1f ms | %.1f / %.1f ms |%n",
          one.ack().getQuantile(0.5), one.ack().getQuantile(0.99), three.ack().getQuantile(0.5), three.ack().getQuantile(0.99)));
      report.append(String.format("| tick push lag p50 / p99 | %.0f / %.0f ms | %.0f / %.0f ms |%n",
          one.lag().getQuantile(0.5), one.lag().getQuantile(0.99), three.lag().getQuantile(0.5), three.lag().getQuantile(0.99)));
      report.append(String.format("%nforwarding adds %.1f ms to the ack p99 and %.0f ms to the tick lag p99%n",
          three.ack().getQuantile(0.99) - one.ack().getQuantile(0.99),
          three.lag().getQuantile(0.99) - one.lag().getQuantile(0.99)));
    }
    System.out.println();
    System.out.println(report);
    Path out = Path.of("target", "bench", "cluster.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
    System.exit(0);
  }

  static Benchmark.Server node(Path dir, String databaseUrl, boolean cluster, int hzPort, String members) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Benchmark.Server.javaBin()));
    if (cluster && System.getenv("LIVEPULSE_BENCH_JFR") != null && hzPort == firstClusterPort) {
      cmd.add("-XX:StartFlightRecording=filename=target/bench/cluster-node.jfr,settings=profile,dumponexit=true");
    }
    cmd.addAll(List.of("-jar", "target/livepulse.jar", "serve",
        "--port", "0", "--data-dir", dir.toString(), "--database-url", databaseUrl,
        "--max-connections-per-address", "5000", "--max-events-per-second", "1000000"));
    if (cluster) {
      cmd.addAll(List.of("--cluster", "--cluster-port", Integer.toString(hzPort), "--cluster-members", members));
    }
    return Benchmark.Server.start(cmd, Pattern.compile("listening on port (\\d+)"), 0);
  }

  /** The cluster port of the first node, whose JVM records a flight recording when asked. */
  static int firstClusterPort;

  static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code frames} frames over {@code connections} producers spread over the nodes; returns when all are acked. */
  static List<Benchmark.Feeder> feed(Vertx vertx, List<Benchmark.Server> servers, int nodes, int connections,
                                     Benchmark.PlatformLoad load, long frames) throws Exception {
    List<Benchmark.Feeder> feeders = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      feeders.add(new Benchmark.Feeder(vertx, servers.get(c % nodes).port, 1, Benchmark.WINDOW, load::frame, 0));
    }
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (Benchmark.Feeder f : feeders) {
      running.add(CompletableFuture.runAsync(() -> {
        try {
          f.runFrames(frames / connections);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
    return feeders;
  }

  static Run run(String name, int nodes, long frames, ExternalPostgres pg) throws Exception {
    Path dir = TempDirs.create("livepulse-cluster-bench");
    int[] hz = new int[nodes];
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < nodes; i++) {
      hz[i] = freePort();
      if (i == 0) {
        firstClusterPort = hz[0];
      }
      members.append(i > 0 ? "," : "").append("127.0.0.1:").append(hz[i]);
    }
    List<Benchmark.Server> servers = new ArrayList<>();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      for (int i = 0; i < nodes; i++) {
        servers.add(node(dir.resolve("n" + i), pg.url(), nodes > 1, hz[i], members.toString()));
      }
      if (nodes > 1) {
        // Every node must see the others before the load starts: each logs its member count as it changes.
        for (Benchmark.Server s : servers) {
          s.printed(java.util.regex.Pattern.compile("members now " + nodes + "\\b")).get(120, java.util.concurrent.TimeUnit.SECONDS);
          if (s.get("/health").getJsonObject("cluster").getInteger("size") != nodes) {
            throw new IllegalStateException("a node logged " + nodes + " members but its /health says otherwise");
          }
        }
      }
      Benchmark.Subscribers subs = Benchmark.Subscribers.connect(vertx, servers.get(nodes - 1).port, 90, 0, 1000);
      Benchmark.PlatformLoad load = new Benchmark.PlatformLoad(1000);
      int connections = 6;
      // A quarter as much load first, not measured: each JVM compiles its hot paths once (three JVMs
      // compile three times), and the rooms are created; then the measured run.
      feed(vertx, servers, nodes, connections, load, frames / 4);
      double cpu0 = 0;
      for (Benchmark.Server s : servers) {
        cpu0 += s.cpuSeconds();
      }
      long start = System.nanoTime();
      List<Benchmark.Feeder> feeders = feed(vertx, servers, nodes, connections, load, frames);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = -cpu0;
      for (Benchmark.Server s : servers) {
        cpu += s.cpuSeconds();
      }
      KllDoublesSketch ack = KllDoublesSketch.newHeapInstance(400);
      long events = 0;
      for (Benchmark.Feeder f : feeders) {
        ack.merge(f.ackMs);
        events += f.accepted.get() + f.duplicates.get() + f.rejected.get();
      }
      return new Run(name, events, seconds, cpu, ack, subs.lag);
    } finally {
      vertx.close().await();
      for (Benchmark.Server s : servers) {
        s.close();
      }
    }
  }
}
