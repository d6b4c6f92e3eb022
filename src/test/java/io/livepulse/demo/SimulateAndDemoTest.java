package io.livepulse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(180)
class SimulateAndDemoTest {
  @Test
  void simulateMovesTheNumbersAndItsCountsMatchTheServers() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      Clients.Subscriber overview = clients.subscribe("/live");
      StringWriter out = new StringWriter();
      int exit = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
          .execute("--url", "ws://127.0.0.1:" + server.port(), "--rooms", "6", "--rate", "3000", "--duration", "3",
              "--seed", "5");
      assertThat(exit).as(out.toString()).isZero();
      Matcher m = Pattern.compile("accepted (\\d+), duplicates (\\d+), rejected (\\d+)").matcher(out.toString());
      assertThat(m.find()).as(out.toString()).isTrue();
      long accepted = Long.parseLong(m.group(1));
      assertThat(accepted).isGreaterThan(5000);
      assertThat(Long.parseLong(m.group(3))).isZero();

      double serverAccepted = 0;
      for (String line : clients.get("/metrics").body().split("\n")) {
        if (line.startsWith("livepulse_events_total{outcome=\"accepted\"")) {
          serverAccepted += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      assertThat((long) serverAccepted).isEqualTo(accepted);

      JsonObject board = overview.await(b -> b.getJsonObject("totals").getLong("orders") > 0);
      assertThat(board.getJsonArray("rooms").size()).isEqualTo(6);
      long first = board.getJsonObject("totals").getLong("orders");
      assertThat(first).isPositive();
    }
  }

  @Test
  void aMinuteOfDemoTrafficPassesValidation() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port());
         Clients.Producer producer = clients.producer()) {
      DemoTraffic traffic = new DemoTraffic(11, 12, "t-");
      long start = System.currentTimeMillis() - 60_000;
      long rejected = 0;
      long accepted = 0;
      List<String> errors = new java.util.ArrayList<>();
      // One simulated minute at 1,000 events/s, pushed as fast as the server acks.
      for (int tenth = 0; tenth < 600; tenth++) {
        JsonArray frame = new JsonArray(new java.util.ArrayList<>(traffic.next(100, start + tenth * 100L)));
        JsonObject ack = producer.send(frame.encode());
        rejected += ack.getInteger("rejected");
        accepted += ack.getInteger("accepted");
        ack.getJsonArray("errors").forEach(e -> errors.add(e.toString()));
      }
      assertThat(errors).isEmpty();
      assertThat(rejected).isZero();
      assertThat(accepted).isGreaterThanOrEqualTo(60_000);
    }
  }
}
