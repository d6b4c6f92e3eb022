package io.livepulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Browser;
import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * In Chromium, issue 14's review page: a past session (10 minutes, two rounds, a mark, known orders
 * and clicks) and a later one. The list, the final figures, bands and pins; a replay at 60× paused
 * at second S shows the stored rows up to S and the row of S; scrubbing; the second session overlaid
 * from the first one's start; Chinese.
 */
@Timeout(120)
class ReviewDashboardTest {
  static final String ROOM = "web-review";

  static JsonObject ev(String type, long ts) {
    return new JsonObject().put("type", type).put("room", ROOM).put("ts", ts);
  }

  /** "¥1,234.56" or "12" as a number (any locale's grouping). */
  static BigDecimal number(String text) {
    return new BigDecimal(text.replaceAll("[^0-9.\\-]", ""));
  }

  @Test
  void reviewReplayAndCompareAPastSession() throws Exception {
    long t0 = (System.currentTimeMillis() / 1000 - 1_800) * 1000;
    JsonArray frame = new JsonArray()
        .add(ev("room", t0).put("status", "live").put("title", "Evening show"))
        .add(ev("explain", t0 + 60_000).put("sku", "lamp").put("action", "start"))
        .add(ev("mark", t0 + 200_000).put("label", "Flash sale").put("kind", "flash"))
        .add(ev("explain", t0 + 300_000).put("sku", "mug").put("action", "start"))
        .add(ev("explain", t0 + 500_000).put("sku", "mug").put("action", "end"));
    Random rnd = new Random(14);
    for (int i = 0; i < 40; i++) {
      frame.add(ev("order", t0 + 1_000L * (1 + rnd.nextInt(598))).put("order", "a" + i).put("user", "u" + rnd.nextInt(20))
          .put("sku", rnd.nextBoolean() ? "lamp" : "mug").put("amount", BigDecimal.valueOf(100 + rnd.nextInt(90_000), 2)
              .toPlainString()));
      frame.add(ev("click", t0 + 1_000L * (1 + rnd.nextInt(598))).put("user", "u" + rnd.nextInt(20)).put("sku", "lamp"));
    }
    frame.add(ev("room", t0 + 600_000).put("status", "ended"))
        .add(ev("room", t0 + 900_000).put("status", "live"));
    for (int i = 0; i < 5; i++) {
      frame.add(ev("order", t0 + 901_000L + 30_000L * i).put("order", "b" + i).put("user", "w" + i).put("sku", "pan")
          .put("amount", "9.90"));
    }
    frame.add(ev("room", t0 + 1_200_000).put("status", "ended"));
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port());
         Browser browser = Browser.open(server.port(), 1440, 1600)) {
      try (Clients.Producer p = clients.producer()) {
        JsonObject ack = p.send(frame.encode());
        assertThat(ack.getInteger("accepted")).as(ack.encode()).isEqualTo(frame.size());
      }
      // What PostgreSQL holds for session 1 once the owner has written its clicks (it does each second).
      long start = t0 / 1000;
      JsonArray rows = new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> {
        JsonArray r = clients.get("/api/rooms/" + ROOM + "/seconds?session=1").json().getJsonArray("seconds");
        long clicks = r.stream().mapToLong(o -> ((JsonObject) o).getLong("clicks")).sum();
        return clicks == 40 ? r : null;
      });
      JsonObject session1 = clients.get("/api/rooms/" + ROOM + "/sessions").json().getJsonArray("sessions").getJsonObject(0);

      JavascriptExecutor js = (JavascriptExecutor) browser.driver();
      browser.go("review.html?room=" + ROOM + "&session=1");
      js.executeScript("localStorage.setItem('livepulse.lang', 'en')");
      browser.driver().navigate().refresh();
      browser.waitForScript("return document.body.dataset.ready ?? null", "true"::equals);
      assertThat(browser.driver().findElements(By.cssSelector("#sessions tbody tr"))).hasSize(2);
      assertThat(browser.text("sessions")).contains("#1").contains("#2").contains("10m 01s");
      assertThat(number(browser.text("f-gmv"))).isEqualByComparingTo(session1.getValue("gmv").toString());
      assertThat(browser.text("f-orders")).isEqualTo("40");
      assertThat(browser.text("explains")).contains("lamp").contains("mug");

      String bandsAndPins = "const o = echarts.getInstanceByDom(document.getElementById('chart-review')).getOption().series;"
          + "return JSON.stringify({bands: (o[0].markArea?.data ?? []).map(d => d[0].name),"
          + " pins: (o[0].markPoint?.data ?? []).map(p => p.name), series: o.map(s => s.name),"
          + " first: o.map(s => s.data.length ? s.data[0][0] : null), points: o[0].data.length});";
      JsonObject chart = new JsonObject(browser.waitForScript(bandsAndPins, s -> s.contains("lamp")));
      assertThat(chart.getJsonArray("bands").getList()).containsExactly("lamp", "mug");
      assertThat(chart.getJsonArray("pins").getList()).containsExactly("Flash sale");
      assertThat(chart.getInteger("points")).as("the whole session, second by second").isEqualTo(601);

      // Replay at 60x from the start, paused after two minutes of the show.
      new Select(browser.driver().findElement(By.id("speed"))).selectByValue("60");
      browser.driver().findElement(By.id("play")).click();
      browser.waitForScript("return document.getElementById('replay-clock').dataset.second",
          s -> !s.isEmpty() && Long.parseLong(s) >= start + 120 && Long.parseLong(s) < start + 400);
      browser.driver().findElement(By.id("play")).click();
      long s = Long.parseLong((String) js.executeScript("return document.getElementById('replay-clock').dataset.second"));
      assertThat(s).isLessThan(start + 600);
      assertReplayShows(browser, rows, s);
      chart = new JsonObject((String) js.executeScript(bandsAndPins));
      assertThat(chart.getInteger("points")).as("the chart as it was at S").isEqualTo((int) (s - start + 1));

      // Scrub to a second with an order in it.
      JsonObject withOrder = rows.stream().map(o -> (JsonObject) o).filter(o -> o.getLong("orders") > 0).skip(3)
          .findFirst().orElseThrow();
      long at = withOrder.getLong("second");
      js.executeScript("const r = document.getElementById('scrub'); r.value = arguments[0];"
          + " r.dispatchEvent(new Event('input'));", at - start);
      assertThat(js.executeScript("return document.getElementById('replay-clock').dataset.second")).isEqualTo(
          String.valueOf(at));
      assertReplayShows(browser, rows, at);

      // Session 2 overlaid, starting where session 1 starts.
      new Select(browser.driver().findElement(By.id("compare"))).selectByValue("2");
      chart = new JsonObject(browser.waitForScript(bandsAndPins, j -> new JsonObject(j).getJsonArray("series").size() == 4));
      assertThat(chart.getJsonArray("series").getList()).contains("#2 GMV/s");
      int compared = chart.getJsonArray("series").getList().indexOf("#2 GMV/s");
      assertThat(chart.getJsonArray("first").getLong(compared)).isEqualTo(start * 1000);

      Path shot = browser.screenshot("review");
      browser.driver().findElement(By.id("lang")).click();
      assertThat(browser.waitForText("f-duration", x -> x.contains("分"))).isEqualTo("10分01秒");
      assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=reviewTitle]")).getText()).isEqualTo("直播复盘");
      assertThat(browser.text("explains")).contains("商品").doesNotContain("Product");
      assertThat(browser.consoleErrors()).isEmpty();
      if (Boolean.getBoolean("livepulse.docScreenshots")) {
        Files.copy(shot, Path.of("docs", "review.png"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** At second s the page shows the stored rows up to s (so far) and the row of s (this second). */
  private static void assertReplayShows(Browser browser, JsonArray rows, long s) {
    BigDecimal gmv = BigDecimal.ZERO;
    long orders = 0;
    JsonObject row = null;
    List<JsonObject> list = new ArrayList<>();
    rows.forEach(o -> list.add((JsonObject) o));
    for (JsonObject r : list) {
      if (r.getLong("second") <= s) {
        gmv = gmv.add(new BigDecimal(r.getValue("gmv").toString()));
        orders += r.getLong("orders");
      }
      if (r.getLong("second") == s) {
        row = r;
      }
    }
    assertThat(number(browser.text("r-gmv"))).as("GMV so far at " + s).isEqualByComparingTo(gmv);
    assertThat(Long.parseLong(browser.text("r-orders"))).isEqualTo(orders);
    assertThat(number(browser.text("r-now-gmv"))).as("GMV of second " + s)
        .isEqualByComparingTo(row == null ? "0" : row.getValue("gmv").toString());
    assertThat(Long.parseLong(browser.text("r-now-clicks"))).isEqualTo(row == null ? 0 : row.getLong("clicks"));
  }
}
