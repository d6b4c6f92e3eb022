package io.livepulse.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code livepulse push} against a real server: every file format, bad rows, counts and exit codes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class PushCommandTest {
  TestServer server;
  Clients clients;
  @TempDir
  Path dir;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start();
    clients = new Clients(server.port());
  }

  @AfterAll
  void stop() {
    clients.close();
    server.close();
  }

  record Run(int exit, String out, String err) {
  }

  Run push(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "--url";
    all[1] = "ws://127.0.0.1:" + server.port();
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = new CommandLine(new PushCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void everyFormatWithBadRows() throws Exception {
    long ts = System.currentTimeMillis();
    Path ndjson = Files.writeString(dir.resolve("a.ndjson"), String.join("\n",
        order("n1", "10.00", ts), "", "{broken", order("n2", "-1", ts), order("n3", "0.50", ts)) + "\n");
    Path array = Files.writeString(dir.resolve("b.json"), "[" + String.join(",",
        order("j1", "100.00", ts), order("j2", "1.001", ts), order("n1", "10.00", ts)) + "]");
    Path csv = Files.writeString(dir.resolve("c.csv"), """
        type,room,order,user,sku,qty,amount,title,ts
        order,push-room,c1,u1,lamp,2,"1,299.00",Desk lamp,%d
        order,push-room,c2,u1,lamp,3,39.90,"Lamp, small",%d
        viewer,push-room,,u9,,,,,%d
        """.formatted(ts, ts, ts));

    Run run = push("--batch", "2", ndjson.toString(), array.toString(), csv.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("pushed 10 events").contains("accepted 4, duplicates 1, rejected 5");
    assertThat(run.out())
        .contains(ndjson + " record 3: event: not valid JSON")
        .contains(ndjson + " record 4: order: amount must be >= 0")
        .contains(array + " record 2: order: amount must have at most 2 decimals")
        .contains(csv + " record 2: order: amount must be a number")
        .contains(csv + " record 4: viewer: action is required, enter or leave");
    JsonObject totals = clients.get("/api/rooms/push-room").json().getJsonObject("totals");
    assertThat(new BigDecimal(totals.getValue("gmv").toString())).isEqualByComparingTo("150.40");
    assertThat(totals.getLong("orders")).isEqualTo(4);
    assertThat(totals.getLong("units")).isEqualTo(6);
  }

  @Test
  void cleanFileExitsZeroAndResendingCountsDuplicates() throws Exception {
    long ts = System.currentTimeMillis();
    Path file = Files.writeString(dir.resolve("clean.ndjson"),
        order("k1", "5.00", ts).replace("push-room", "push-clean") + "\n" + order("k2", "6.00", ts).replace("push-room", "push-clean"));
    Run first = push(file.toString());
    assertThat(first.exit()).isZero();
    assertThat(first.out()).contains("accepted 2, duplicates 0, rejected 0");
    Run again = push(file.toString());
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("accepted 0, duplicates 2, rejected 0");
  }

  @Test
  void replaySpeedMovesTimestampsToTheReplayClock() throws Exception {
    long old = System.currentTimeMillis() - 3L * 24 * 3600 * 1000;
    Path file = Files.writeString(dir.resolve("old.ndjson"), String.join("\n",
        order("r1", "1.00", old).replace("push-room", "push-replay"),
        order("r2", "2.00", old + 1000).replace("push-room", "push-replay")));
    Run run = push("--speed", "10", file.toString());
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("accepted 2");
  }

  @Test
  void unreadableFileAndUnreachableServerExitTwo() {
    assertThat(push(dir.resolve("missing.ndjson").toString()).exit()).isEqualTo(2);
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new PushCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("--url", "ws://127.0.0.1:1", "-");
    assertThat(exit).isEqualTo(2);
  }

  /** Every URL form the protocol guide shows, or a user would paste, reaches /ingest. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"ws://127.0.0.1:%d", "ws://127.0.0.1:%d/",
      "ws://127.0.0.1:%d/ingest", "ws://127.0.0.1:%d/ingest/", "http://127.0.0.1:%d", "http://127.0.0.1:%d/ingest",
      "HTTP://127.0.0.1:%d"})
  void acceptsTheBaseOrTheIngestUrl(String form) throws Exception {
    String url = form.formatted(server.port());
    Path file = Files.writeString(dir.resolve("url-" + Math.abs(url.hashCode()) + ".ndjson"),
        order("u-" + Math.abs(url.hashCode()), "1.00", System.currentTimeMillis()).replace("push-room", "push-urls"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new PushCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("--url", url, file.toString());
    assertThat(exit).as(url + ": " + err).isZero();
    assertThat(out.toString()).contains("accepted 1, duplicates 0, rejected 0");
  }

  @Test
  void aFailedUpgradeSaysWhichUrlAndStatus() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new PushCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("--url", "ws://127.0.0.1:" + server.port() + "/api", "-");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("WebSocket upgrade to ws://127.0.0.1:" + server.port()
        + "/api/ingest failed with status 404: no LivePulse /ingest endpoint there");
    StringWriter bad = new StringWriter();
    assertThat(new CommandLine(new PushCommand()).setErr(new PrintWriter(bad)).execute("--url", "ftp://x", "-")).isEqualTo(2);
    assertThat(bad.toString()).contains("--url must start with ws://, wss://, http:// or https://");
  }

  /** As a user runs it, in its own JVM: stdout and stderr hold only push's own lines. */
  @Test
  void printsOnlyItsOwnMessages() throws Exception {
    Path file = Files.writeString(dir.resolve("quiet.ndjson"),
        order("q1", "1.00", System.currentTimeMillis()).replace("push-room", "push-quiet"));
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
        "io.livepulse.Main", "push", "--url", "ws://127.0.0.1:" + server.port() + "/ingest", file.toString())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out + err).isZero();
    assertThat(out).contains("accepted 1, duplicates 0, rejected 0");
    // stderr carries push's progress lines only: no log records from Vert.x or anything else.
    assertThat(err.lines().filter(l -> !l.isBlank() && !l.matches("\\s*[0-9.]+s  sent .*"))).isEmpty();
  }

  static String order(String id, String amount, long ts) {
    return new JsonObject().put("type", "order").put("room", "push-room").put("order", id).put("user", "u1")
        .put("sku", "s").put("amount", amount).put("ts", ts).encode();
  }
}
