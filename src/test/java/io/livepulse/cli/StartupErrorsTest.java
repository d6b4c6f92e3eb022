package io.livepulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.ExternalPostgres;
import io.livepulse.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every start-up mistake a user can make ends in one or two lines naming the setting and the rule or
 * the cause, and exit status 2: never a stack trace. Each case runs the real {@code main} in its own JVM.
 */
@Timeout(300)
class StartupErrorsTest {
  @TempDir
  Path dir;

  record Run(int exit, String stdout, String stderr) {
  }

  static Run serve(String... args) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "io.livepulse.Main", "serve"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    // Read both streams fully before waiting: a full pipe would block the child.
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** Exit 2, the message on stderr, and nothing that looks like a stack trace. */
  static void assertClean(Run run, String... expected) {
    assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
    for (String e : expected) {
      assertThat(run.stderr()).contains(e);
    }
    assertThat(run.stderr() + run.stdout()).doesNotContain("\tat ", "at io.", "at java.", "Exception", "Caused by");
    List<String> ours = run.stderr().lines().filter(l -> l.startsWith("livepulse: ")).toList();
    assertThat(ours).hasSize(1);
  }

  Path tokens(String json) throws IOException {
    Path f = dir.resolve("tokens-" + System.nanoTime() + ".json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void aShortTokenNamesTheEntryAndTheRule() throws Exception {
    Path f = tokens("{\"tokens\":[{\"token\":\"short\",\"role\":\"read\"}]}");
    assertClean(serve("--tokens", f.toString(), "--data-dir", dir.resolve("d").toString()),
        "tokens file " + f + ": tokens[0].token must be a string of at least 16 characters");
  }

  @Test
  void anUnreadableOrInvalidTokensFile() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertClean(serve("--tokens", missing.toString()), "tokens file " + missing + " (--tokens) cannot be read: no such file");
    Path broken = tokens("{\"tokens\": [");
    assertClean(serve("--tokens", broken.toString()), "tokens file " + broken + ": not valid JSON");
  }

  @Test
  void aBadOrUnknownFlag() throws Exception {
    Run bad = serve("--port", "abc");
    assertClean(bad, "livepulse: Invalid value for option '--port': 'abc' is not an int");
    assertThat(bad.stderr().lines().count()).isEqualTo(2);
    assertClean(serve("--no-such-flag"), "livepulse: Unknown option: '--no-such-flag'");
    assertClean(serve("--port", "70000"), "--port");
  }

  @Test
  void aDataDirectoryThatCannotBeCreated() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertClean(serve("--data-dir", file.resolve("data").toString(), "--port", "0"),
        "data directory " + file.resolve("data") + " (--data-dir) cannot be created");
  }

  @Test
  void anEmbeddedPostgresThatFailsToStart() throws Exception {
    Path data = dir.resolve("broken");
    Files.createDirectories(data.resolve("pg"));
    Files.writeString(data.resolve("pg").resolve("PG_VERSION"), "9\n");
    assertClean(serve("--data-dir", data.toString(), "--port", "0"),
        "the embedded PostgreSQL in " + data.resolve("pg") + " (--data-dir) did not start");
  }

  @Test
  void aPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertClean(serve("--port", Integer.toString(port), "--data-dir", dir.resolve("d").toString()),
          "port " + port + " (--port) on 127.0.0.1 (--host) cannot be bound: Address already in use");
    }
  }

  @Test
  void anExternalDatabaseThatIsUnreachableOrRefusesTheLogin() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    assertClean(serve("--database-url", "postgresql://u:p@127.0.0.1:" + closed + "/db", "--port", "0"),
        "PostgreSQL at 127.0.0.1:" + closed + "/db (--database-url): Connection refused");
    assertClean(serve("--database-url", "not a url", "--port", "0"), "--database-url must look like postgresql://");
    try (ExternalPostgres pg = ExternalPostgres.start()) {
      String wrong = pg.url().replace("s3cret-pw", "wrong-password");
      assertThat(wrong).isNotEqualTo(pg.url());
      assertClean(serve("--database-url", wrong, "--port", "0"), "(--database-url): ",
          "password authentication failed");
    }
  }

  @Test
  void aClusterOnAnEmbeddedDatabaseOrWithBadMembersIsRefused() throws Exception {
    assertClean(serve("--cluster", "--data-dir", dir.resolve("c").toString(), "--port", "0"),
        "--cluster needs --database-url: every node must use the same PostgreSQL (an embedded database belongs to one node)");
    assertClean(serve("--cluster", "--database-url", "postgresql://u:p@127.0.0.1:1/db", "--cluster-members", "a b:1",
        "--port", "0"), "--cluster-members must be host:port,host:port, got 'a b:1'");
    assertClean(serve("--cluster", "--database-url", "postgresql://u:p@127.0.0.1:1/db", "--cluster-port", "70000",
        "--port", "0"), "--cluster-port must be 0-65535 (0 picks a free port), got 70000");
  }

  @Test
  void aSecondServerOnTheSameDataDirectoryStopsWithoutTouchingTheFirst() throws Exception {
    Path data = dir.resolve("shared");
    try (TestServer first = TestServer.start(data, (String) null); Clients clients = new Clients(first.port())) {
      long postmaster = Long.parseLong(Files.readAllLines(data.resolve("pg").resolve("postmaster.pid")).get(0).strip());
      assertClean(serve("--data-dir", data.toString(), "--port", "0"),
          "data directory " + data + " (--data-dir) is in use by another LivePulse (pid " + ProcessHandle.current().pid()
              + "); stop it or give each server its own --data-dir");
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("the first server's PostgreSQL").hasValue(true);
      assertThat(clients.get("/health").status()).isEqualTo(200);
    }
  }
}
