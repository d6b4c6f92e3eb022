package io.livepulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Browser;
import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;

/** In Chromium: the running explain round as a scorecard, past rounds in the table, and on the anchor view. */
@Timeout(120)
class TimelineDashboardTest {
  static JsonObject ev(String type, long ts) {
    return new JsonObject().put("type", type).put("room", "web-explain").put("ts", ts);
  }

  @Test
  void theRunningRoundAndThePastOnes() throws Exception {
    long now = System.currentTimeMillis();
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port());
         Browser browser = Browser.open(server.port(), 1440, 1200)) {
      try (Clients.Producer p = clients.producer()) {
        p.send(new JsonArray()
            .add(ev("order", now - 900_000).put("order", "o0").put("user", "z").put("sku", "lamp").put("amount", "1.00"))
            .add(ev("explain", now - 300_000).put("sku", "lamp").put("action", "start"))
            .add(ev("order", now - 200_000).put("order", "o1").put("user", "a").put("sku", "lamp").put("amount", "120.00"))
            .add(ev("explain", now - 100_000).put("sku", "mug").put("action", "start"))
            .add(ev("mark", now - 90_000).put("label", "Coupon drop").put("kind", "coupon"))
            .add(ev("order", now - 50_000).put("order", "o2").put("user", "b").put("sku", "mug").put("qty", 2)
                .put("amount", "30.00"))
            .encode());
      }
      browser.go("room.html?room=web-explain");
      ((JavascriptExecutor) browser.driver()).executeScript("localStorage.setItem('livepulse.lang', 'en')");
      browser.driver().navigate().refresh();
      assertThat(browser.waitForText("explain-sku", s -> !s.isEmpty())).isEqualTo("mug");
      assertThat(browser.text("explain-gmv")).isEqualTo("¥30.00");
      assertThat(browser.text("explain-units")).isEqualTo("2");
      assertThat(browser.text("explain-timer")).matches("1:4\\d");
      String past = browser.waitForText("explains", s -> s.contains("lamp"));
      assertThat(past).contains("lamp").contains("3:20").contains("¥120.00");
      // The trend: both rounds as labelled bands, the mark as a pin (read from the chart's own option).
      String script = "const o = echarts.getInstanceByDom(document.getElementById('chart-gmv')).getOption().series[0];"
          + "return JSON.stringify({bands: (o.markArea?.data ?? []).map(d => d[0].name),"
          + " pins: (o.markPoint?.data ?? []).map(p => p.name)});";
      JsonObject chart = new JsonObject(browser.waitForScript(script, json -> {
        JsonObject o = new JsonObject(json);
        return o.getJsonArray("bands").size() == 2 && o.getJsonArray("pins").size() == 1;
      }));
      assertThat(chart.getJsonArray("bands").getList()).containsExactly("lamp", "mug");
      assertThat(chart.getJsonArray("pins").getList()).containsExactly("Coupon drop");
      // Panning to the left edge loads the older seconds of the session from PostgreSQL.
      JavascriptExecutor js = (JavascriptExecutor) browser.driver();
      js.executeScript("echarts.getInstanceByDom(document.getElementById('chart-gmv'))"
          + ".dispatchAction({type: 'dataZoom', start: 0, end: 50});");
      String older = browser.waitForScript("const d = echarts.getInstanceByDom(document.getElementById('chart-gmv'))"
          + ".getOption().series[0].data; return d.length && d[0][0] < arguments[0] ? String(d[0][0]) : null;",
          x -> true, now - 400_000);
      assertThat(Long.parseLong(older)).as("the session's first second").isEqualTo((now - 900_000) / 1000 * 1000);
      String csvLink = browser.driver().findElement(org.openqa.selenium.By.id("export-explains")).getAttribute("href");
      assertThat(csvLink).endsWith("/api/rooms/web-explain/explains.csv");
      String csv = clients.get("/api/rooms/web-explain/explains.csv").body();
      assertThat(csv.lines().toList()).hasSize(3).element(1).asString().startsWith("lamp,");
      Path room = browser.screenshot("room-explains");
      browser.go("anchor.html?room=web-explain");
      assertThat(browser.waitForText("anchor-explain-sku", s -> !s.isEmpty())).isEqualTo("mug");
      assertThat(browser.text("anchor-explain-detail")).contains("¥30.00");
      assertThat(browser.consoleErrors()).isEmpty();
      if (Boolean.getBoolean("livepulse.docScreenshots")) {
        Files.copy(room, Path.of("docs", "room-explains.png"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
