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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

/**
 * In Chromium: an operator sets a rule on the room page, the figures cross it, the page shows the
 * banner and the history, the anchor view shows the cue; the rule is deleted from the page.
 */
@Timeout(120)
class AlertsDashboardTest {
  static JsonObject enter(String user) {
    return new JsonObject().put("type", "viewer").put("room", "web-alerts").put("user", user).put("action", "enter")
        .put("ts", System.currentTimeMillis());
  }

  @Test
  void aRuleSetOnThePageFiresOnThePageAndOnTheAnchorView() throws Exception {
    try (TestServer server = TestServer.start(); Clients clients = new Clients(server.port());
         Browser browser = Browser.open(server.port(), 1440, 1400)) {
      try (Clients.Producer p = clients.producer()) {
        p.send(enter("first").encode());
      }
      browser.go("room.html?room=web-alerts");
      ((JavascriptExecutor) browser.driver()).executeScript("localStorage.setItem('livepulse.lang', 'en')");
      browser.driver().navigate().refresh();
      browser.waitForText("n-online", s -> s.equals("1"));
      new Select(browser.driver().findElement(By.id("rule-figure"))).selectByValue("online");
      new Select(browser.driver().findElement(By.id("rule-op"))).selectByValue("above");
      browser.driver().findElement(By.id("rule-value")).sendKeys("2");
      browser.driver().findElement(By.id("rule-anchor")).click();
      browser.driver().findElement(By.id("rule-add")).click();
      String listed = browser.waitForText("rules", s -> s.contains("online above 2"));
      assertThat(listed).startsWith("#");
      JsonArray rules = clients.get("/api/alerts/rules?room=web-alerts").json().getJsonArray("rules");
      assertThat(rules).hasSize(1);
      assertThat(rules.getJsonObject(0).getBoolean("anchor")).isTrue();

      try (Clients.Producer p = clients.producer()) {
        p.send(new JsonArray().add(enter("b")).add(enter("c")).encode());
      }
      // The session target, set on the page.
      browser.driver().findElement(By.id("target-value")).sendKeys("1000");
      browser.driver().findElement(By.id("target-minutes")).sendKeys("60");
      browser.driver().findElement(By.id("target-set")).click();
      assertThat(browser.waitForText("n-target", s -> s.startsWith("0% of ¥1,000.00"))).endsWith("on pace");
      String banner = browser.waitForText("alert-banner", s -> s.contains("online above 2"));
      assertThat(banner).contains("now 3");
      browser.waitForText("alert-history", s -> s.contains("firing"));
      Path room = browser.screenshot("room-alert");

      browser.go("anchor.html?room=web-alerts");
      // A new connection gets the live alerts from then on: cross the line again to see the cue.
      browser.waitForText("online", s -> s.equals("3"));
      clients.post("/api/alerts/rules", new JsonObject().put("room", "web-alerts").put("figure", "online")
          .put("op", "above").put("value", 3).put("anchor", true).encode());
      try (Clients.Producer p = clients.producer()) {
        p.send(enter("d").encode());
      }
      String cue = browser.waitForText("cue", s -> !s.isEmpty());
      assertThat(browser.waitForText("target-line", s -> !s.isEmpty())).startsWith("0% of ¥1,000.00");
      assertThat(cue).isEqualTo("⚠ Above limit");
      Path anchor = browser.screenshot("anchor-alert");
      assertThat(browser.consoleErrors()).isEmpty();

      browser.go("room.html?room=web-alerts");
      browser.waitForText("rules", s -> s.contains("online above 3"));
      browser.driver().findElements(By.cssSelector("#rules button.del")).get(0).click();
      browser.waitForText("rules", s -> !s.contains("online above 2"));
      assertThat(clients.get("/api/alerts/rules?room=web-alerts").json().getJsonArray("rules")).hasSize(1);
      if (Boolean.getBoolean("livepulse.docScreenshots")) {
        Files.copy(room, Path.of("docs", "room-alert.png"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(anchor, Path.of("docs", "anchor-alert.png"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
