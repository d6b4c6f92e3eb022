package io.livepulse.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A separately started PostgreSQL server from Debian's {@code postgresql} package, in a temporary
 * directory, with password authentication: the production path through {@code --database-url}.
 * PostgreSQL refuses to run as root, so as root it runs as the package's {@code postgres} user.
 */
public final class ExternalPostgres implements AutoCloseable {
  static final String USER = "livepulse";
  static final String PASSWORD = "s3cret-pw";

  private final Path bin;
  private final Path dir;
  private final int port;

  private ExternalPostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server, or skips the test when the package is missing (CI installs it, so CI never skips). */
  public static ExternalPostgres start() throws Exception {
    Optional<Path> bin = findBin();
    if (bin.isEmpty()) {
      if (System.getenv("LIVEPULSE_REQUIRE_EXTERNAL_PG") != null) {
        throw new IllegalStateException("Debian's postgresql package is required (apt-get install postgresql)");
      }
      Assumptions.abort("Debian's postgresql package is not installed; .ci/run installs it");
    }
    Path dir = TempDirs.create("livepulse-extpg");
    Path pwfile = dir.resolve("pw");
    Files.writeString(pwfile, PASSWORD);
    Path data = dir.resolve("data");
    if (isRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
    }
    int port = freePort();
    ExternalPostgres pg = new ExternalPostgres(bin.get(), dir, port);
    pg.run(pg.cmd("initdb", "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
        "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF-8"));
    pg.run(pg.cmd("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
    pg.run(pg.cmd("createdb", "-h", dir.toString(), "-p", Integer.toString(port), "-U", USER, "livepulse"));
    return pg;
  }

  public String url() {
    return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/livepulse";
  }

  /** Stops the server (fast shutdown: sessions are cut), as an outage would. */
  public void stop() throws Exception {
    run(cmd("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
  }

  /** Starts it again on the same port and data. */
  public void restart() throws Exception {
    run(cmd("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
  }

  /** Freezes the server and every backend (SIGSTOP): a stall, not an outage; nothing answers, nothing fails. */
  public void freeze() throws Exception {
    signalAll("STOP");
  }

  /** Lets a frozen server run on (SIGCONT). */
  public void thaw() throws Exception {
    signalAll("CONT");
  }

  private void signalAll(String signal) throws Exception {
    String pid = Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).strip();
    run(List.of("pkill", "-" + signal, "-P", pid), false);
    run(List.of("kill", "-" + signal, pid), true);
  }

  @Override
  public void close() throws Exception {
    thaw();
    stop();
  }

  private List<String> cmd(String tool, String... args) {
    List<String> c = new ArrayList<>();
    if (isRoot()) {
      c.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    c.add(bin.resolve(tool).toString());
    c.addAll(List.of(args));
    return c;
  }

  private void run(List<String> command) throws Exception {
    run(command, true);
  }

  private static void run(List<String> command, boolean check) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    if (check && p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed (" + p.exitValue() + "):\n" + out);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Optional<Path> findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    }
  }
}
