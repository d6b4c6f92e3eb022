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
import org.openqa.selenium.By;

/**
 * The room page in Chromium shows the figures of contract §8 in English and Chinese, says which GMV is
 * net, where online comes from, and gives each figure's definition as a tooltip.
 */
@Timeout(120)
class PlatformFiguresDashboardTest {
  static JsonObject ev(String type, long ts) {
    return new JsonObject().put("type", type).put("room", "web-platform").put("ts", ts);
  }

  static org.openqa.selenium.JavascriptExecutor js(Browser b) {
    return (org.openqa.selenium.JavascriptExecutor) b.driver();
  }

  @Test
  void theRoomPageShowsNetGrossRefundsClickToBuyAndThePlatformsFigures() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port())) {
      long ts = System.currentTimeMillis();
      JsonArray events = new JsonArray()
          .add(ev("room", ts).put("anchor", "Mia").put("title", "Spring sale").put("platform", "tiktok").put("status", "live"))
          .add(ev("viewer", ts).put("user", "a").put("action", "enter").put("source", "recommend"))
          .add(ev("viewer", ts).put("user", "b").put("action", "enter").put("source", "follow"))
          .add(ev("click", ts).put("user", "a").put("sku", "lamp"))
          .add(ev("click", ts).put("user", "b").put("sku", "lamp"))
          .add(ev("order", ts).put("order", "o1").put("user", "a").put("sku", "lamp").put("title", "Desk lamp").put("amount", "200.00")
              .put("source", "ads"))
          .add(ev("refund", ts).put("order", "o1").put("refund", "r1").put("amount", "50.00"))
          .add(ev("stats", ts).put("online", 4200).put("likes", 900).put("comments", 35));
      try (Clients.Producer p = clients.producer()) {
        assertThat(p.send(events.encode()).getInteger("rejected")).isZero();
      }
      Browser browser = Browser.open(server.port(), 1440, 1100);
      try {
        browser.driver().get("http://127.0.0.1:" + server.port() + "/room.html?room=web-platform");
        js(browser).executeScript("localStorage.setItem('livepulse.lang', 'en')");
        browser.driver().navigate().refresh();
        browser.waitForText("n-gmv", s -> s.equals("¥150.00"));
        assertThat(browser.text("n-gross")).isEqualTo("net · gross ¥200.00");
        assertThat(browser.text("n-refunds")).isEqualTo("¥50.00");
        assertThat(browser.text("n-refundRate")).isEqualTo("refund rate 25.00% · 1 orders refunded");
        assertThat(browser.text("n-clickToBuy")).isEqualTo("50.00%");
        assertThat(browser.text("n-online")).isEqualTo("4,200");
        assertThat(browser.text("n-online-source")).isEqualTo("platform figure");
        assertThat(browser.text("n-aov")).as("gross / orders").isEqualTo("¥200.00");
        assertThat(browser.text("n-perBuyer")).as("net / buyers").isEqualTo("¥150.00");
        assertThat(browser.text("n-platform")).isEqualTo("Likes 900 · Comments 35");
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=gmv]")).getAttribute("title"))
            .isEqualTo("Net GMV: accepted orders minus accepted refunds");
        String product = (String) js(browser).executeScript("return document.querySelector('#products li').innerText;");
        assertThat(product).contains("Desk lamp").contains("2 clicks").contains("Click-to-buy 50.00%");
        assertThat(browser.text("n-avgWatch")).as("a duration").matches("\\d+s|\\d+m \\d\\ds|\\d+h \\d\\dm \\d\\ds");
        assertThat(browser.text("n-avgWatch15m")).startsWith("last 15 min ");
        @SuppressWarnings("unchecked")
        java.util.List<String> groups = (java.util.List<String>) js(browser).executeScript(
            "return Array.from(document.querySelectorAll('#groups li')).map(li => li.innerText.replace(/\\s+/g, ' ').trim());");
        assertThat(groups).containsExactly("Natural entries 50.0% · GMV 0.0%", "Paid entries 0.0% · GMV 100.0%",
            "Private domain entries 50.0% · GMV 0.0%");
        String sales = (String) js(browser).executeScript(
            "return document.querySelector('#source-sales li').innerText.replace(/\\s+/g, ' ').trim();");
        assertThat(sales).isEqualTo("ads ¥150.00 · 1 orders · 1 buyers");
        Path en = browser.screenshot("room-platform-figures");

        browser.driver().findElement(By.id("lang")).click();
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=aov]")).getText()).isEqualTo("笔单价");
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=perBuyer]")).getText()).isEqualTo("客单价");
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=conversion]")).getText()).isEqualTo("观看-成交率");
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=gmv]")).getAttribute("title"))
            .startsWith("净成交额");
        browser.waitForText("n-gross", s -> s.startsWith("净额"));
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=avgWatch]")).getText()).isEqualTo("人均观看时长");
        assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=sourceGroups]")).getText()).isEqualTo("流量结构");
        Path zh = browser.screenshot("room-platform-figures-zh");
        assertThat(browser.consoleErrors()).isEmpty();

        // The anchor view says the online figure is the platform's; the overview shows 客单价 and refunds.
        browser.driver().findElement(By.id("lang")).click();
        browser.go("anchor.html?room=web-platform");
        browser.waitForText("online-source", x -> x.equals("platform figure"));
        browser.go("");
        browser.waitForText("t-gmv", x -> x.equals("¥150.00"));
        String row = (String) js(browser).executeScript(
            "return document.querySelector('#rooms tbody tr[data-room=\"web-platform\"]').innerText;");
        assertThat(row).contains("¥150.00").contains("25.00%");
        assertThat(browser.consoleErrors()).isEmpty();
        // Kept beside the docs when asked for (mvn test -Dlivepulse.docScreenshots=true).
        if (Boolean.getBoolean("livepulse.docScreenshots")) {
          Files.copy(en, Path.of("docs", "room-platform-figures.png"), StandardCopyOption.REPLACE_EXISTING);
          Files.copy(zh, Path.of("docs", "room-platform-figures-zh.png"), StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        browser.close();
      }
    }
  }
}
