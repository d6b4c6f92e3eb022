package io.livepulse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * When LivePulse dies by SIGKILL, the embedded PostgreSQL it started lives on as an orphan that still
 * holds the data directory, and a new server could not start on it. This finds such a postmaster
 * through its {@code postmaster.pid} and stops it (SIGTERM: a clean, fast shutdown) before we start.
 */
final class StalePostmaster {
  private static final Logger LOG = Logger.getLogger(StalePostmaster.class.getName());

  private StalePostmaster() {
  }

  static void stopIfRunning(Path pgDir) throws IOException {
    Path pidFile = pgDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .filter(StalePostmaster::isPostgres);
    if (process.isEmpty()) {
      return;
    }
    LOG.warning("stopping a PostgreSQL (pid " + pid + ") left running on " + pgDir + " by an earlier LivePulse");
    ProcessHandle p = process.get();
    // SIGINT is PostgreSQL's "fast" shutdown: it ends the sessions the dead server left and
    // checkpoints. SIGQUIT ("immediate") is the fallback; both keep committed data (WAL replay).
    if (!signal(p, "INT", 30) && !signal(p, "QUIT", 10)) {
      throw new IOException("PostgreSQL (pid " + pid + ") still holds " + pgDir + "; stop it and start again");
    }
  }

  private static boolean signal(ProcessHandle p, String signal, int waitSeconds) throws IOException {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
      p.onExit().get(waitSeconds, TimeUnit.SECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return !p.isAlive();
    }
  }

  private static boolean isPostgres(ProcessHandle p) {
    return p.info().command().map(c -> c.contains("postgres")).orElse(true);
  }
}
