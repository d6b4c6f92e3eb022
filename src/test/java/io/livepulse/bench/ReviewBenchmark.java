package io.livepulse.bench;

import io.livepulse.testing.Browser;
import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 14's scale figure: a 4-hour session (14,400 seconds, every one of them with rows) opened in
 * the review page in headless Chromium, from navigation start to the first painted frame with the
 * chart (performance.now() at that frame). {@code scripts/bench.sh review}.
 */
public final class ReviewBenchmark {
  static final String ROOM = "bench-review";
  static final int SECONDS = 4 * 3600;

  private ReviewBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int opens = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    long t0 = (System.currentTimeMillis() / 1000 - SECONDS - 120) * 1000;
    StringBuilder report = new StringBuilder(String.format("## review run, %s%n%n%s%n", java.time.ZonedDateTime.now(),
        Benchmark.machine()));
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      long events = feed(clients, t0);
      // A restart stores everything the owner still holds (its viewer rows are written each second).
      server.restart();
      long rows = clients.get("/api/rooms/" + ROOM + "/seconds?session=1").json().getJsonArray("seconds").size();
      report.append(String.format("session: %,d seconds (%,d stored rows), %,d events, 24 rounds, 8 marks%n%n", SECONDS + 1,
          rows, events));
      List<Long> api = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long t = System.nanoTime();
        clients.get("/api/rooms/" + ROOM + "/seconds?session=1");
        api.add((System.nanoTime() - t) / 1_000_000);
      }
      report.append(String.format("GET /api/rooms/%s/seconds?session=1 (the whole session as JSON), 5 times: %s ms%n%n",
          ROOM, api));
      List<Double> ms = new ArrayList<>();
      try (Browser browser = Browser.open(server.port(), 1440, 1200)) {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver();
        for (int i = 0; i < opens; i++) {
          browser.go("review.html?room=" + ROOM + "&session=1");
          new WebDriverWait(browser.driver(), Duration.ofSeconds(60))
              .until(d -> "true".equals(js.executeScript("return document.body.dataset.ready ?? null")));
          ms.add(((Number) js.executeScript("return window.lpReadyMs")).doubleValue());
          int points = ((Number) js.executeScript("return echarts.getInstanceByDom(document.getElementById("
              + "'chart-review')).getOption().series[0].data.length")).intValue();
          if (points != SECONDS + 1) {
            throw new IllegalStateException("chart has " + points + " points, expected " + (SECONDS + 1));
          }
        }
      }
      List<Double> sorted = new ArrayList<>(ms);
      Collections.sort(sorted);
      report.append("| open | navigation to first painted chart |\n|---|---|\n");
      for (int i = 0; i < ms.size(); i++) {
        report.append(String.format("| %d%s | %.0f ms |%n", i + 1, i == 0 ? " (cold)" : "", ms.get(i)));
      }
      report.append(String.format("%nmedian %.0f ms, worst %.0f ms (target: under 2,000 ms)%n",
          sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)));
    }
    System.out.println();
    System.out.println(report);
    Path out = Path.of("target", "bench", "review.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
    System.exit(0);
  }

  /** Four hours as they happened: viewers, clicks and orders every second, a round every 10 minutes. */
  static long feed(Clients clients, long t0) throws Exception {
    Random rnd = new Random(4);
    long events = 0;
    try (Clients.Producer p = clients.producer()) {
      JsonArray frame = new JsonArray().add(ev("room", t0).put("status", "live").put("title", "Four-hour show"));
      for (int s = 0; s <= SECONDS; s++) {
        long ts = t0 + s * 1000L;
        if (s % 600 == 0 && s < SECONDS) {
          frame.add(ev("explain", ts).put("sku", "sku-" + (s / 600)).put("action", "start"));
        }
        if (s % 1800 == 900) {
          frame.add(ev("mark", ts).put("label", "Coupon " + (s / 1800)).put("kind", "coupon"));
        }
        for (int v = 0; v < 4; v++) {
          frame.add(ev("viewer", ts).put("user", "u" + rnd.nextInt(50_000)).put("action", "enter"));
        }
        frame.add(ev("click", ts).put("user", "u" + rnd.nextInt(50_000)).put("sku", "sku-" + (s / 600)));
        if (rnd.nextInt(3) == 0) {
          frame.add(ev("order", ts).put("order", "o" + s).put("user", "u" + rnd.nextInt(50_000))
              .put("sku", "sku-" + (s / 600)).put("amount", BigDecimal.valueOf(100 + rnd.nextInt(50_000), 2).toPlainString()));
        }
        if (s == SECONDS) {
          frame.add(ev("explain", ts).put("sku", "sku-23").put("action", "end"));
          frame.add(ev("room", ts).put("status", "ended"));
        }
        if (frame.size() >= 5_000 || s == SECONDS) {
          JsonObject ack = p.send(frame.encode());
          if (ack.getInteger("accepted") != frame.size()) {
            throw new IllegalStateException("not all accepted: " + ack.encode());
          }
          events += frame.size();
          frame = new JsonArray();
        }
      }
    }
    return events;
  }

  static JsonObject ev(String type, long ts) {
    return new JsonObject().put("type", type).put("room", ROOM).put("ts", ts);
  }
}
