package io.livepulse.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.ServerProcess;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code push --url A,B}: the server it pushes to is killed (SIGKILL) mid-run; push connects to the
 * next URL, sends again what A had not acknowledged, and ends with every order acknowledged once.
 */
@Timeout(180)
class PushFailoverTest {
  @TempDir
  Path dir;

  static long orders(int port, String room) {
    try (Clients c = new Clients(port)) {
      var r = c.get("/api/rooms/" + room);
      return r.status() == 200 ? r.json().getJsonObject("totals").getLong("orders") : 0;
    }
  }

  @Test
  void aKilledServerIsReplacedByTheNextUrlAndNothingIsLost() throws Exception {
    int n = 3_000;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(new JsonObject().put("type", "order").put("room", "failover").put("order", "f-" + i).put("user", "u" + i)
          .put("sku", "s").put("amount", "1.00").encode());
    }
    Path file = dir.resolve("orders.ndjson");
    Files.write(file, lines);
    ServerProcess a = ServerProcess.start(dir.resolve("a"));
    int aPort = a.port();
    ServerProcess again = null;
    try (TestServer b = TestServer.start()) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(new PushCommand())
          .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
          .execute("--url", "ws://127.0.0.1:" + aPort + ",ws://127.0.0.1:" + b.port(), "--rate", "1000",
              "--batch", "50", "--window", "4", file.toString()));
      // Killed once A has taken some of them (its own count says so), long before the end at 1,000/s.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (orders(a.port(), "failover") < 200) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(50);
      }
      a.kill();
      assertThat(exit.get(120, TimeUnit.SECONDS)).as(out + "\n" + err).isZero();
      String summary = out.toString();
      assertThat(summary).contains("failovers 1");
      assertThat(orders(b.port(), "failover")).as("the rest went to B").isPositive();
      // Each order acknowledged once: the tally covers exactly the file, nothing rejected.
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("accepted (\\d+), duplicates (\\d+), rejected 0")
          .matcher(summary);
      assertThat(m.find()).as(summary).isTrue();
      assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2))).isEqualTo(n);
      long acceptedOnB = orders(b.port(), "failover");
      again = ServerProcess.start(dir.resolve("a"));
      long acceptedOnA = orders(again.port(), "failover");
      assertThat(acceptedOnA + acceptedOnB).as("every order is stored on A or B (the re-sent ones may be on both)")
          .isGreaterThanOrEqualTo(n);
    } finally {
      a.close();
      if (again != null) {
        again.close();
      }
    }
  }
}
