package io.livepulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.testing.Browser;
import io.livepulse.testing.Clients;
import io.livepulse.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/** The pages in a real headless Chromium, fed through the real /ingest endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class DashboardTest {
  TestServer server;
  Clients clients;
  Browser browser;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start();
    clients = new Clients(server.port());
    browser = Browser.open(server.port(), 1440, 1000);
    long ts = System.currentTimeMillis();
    JsonArray events = new JsonArray()
        .add(room("web-big", "Li Jiaqi", "Double 11", "taobao", ts))
        .add(room("web-mid", "Viya", "Beauty night", "douyin", ts))
        .add(room("web-small", "Xue Li", "Tea time", "kuaishou", ts));
    for (int i = 0; i < 5; i++) {
      events.add(viewer("web-big", "u" + i, ts));
    }
    events.add(viewer("web-mid", "m1", ts)).add(viewer("web-mid", "m2", ts)).add(viewer("web-small", "s1", ts));
    events.add(order("web-big", "b1", "u1", "lock", "Smart door lock", 1, "1299.00", ts))
        .add(order("web-big", "b2", "u2", "lock", "Smart door lock", 2, "2598.00", ts))
        .add(order("web-big", "b3", "u3", "tea", "Tea gift box", 1, "88.00", ts))
        .add(order("web-mid", "m-1", "m1", "serum", "Face serum", 1, "329.00", ts))
        .add(order("web-small", "s-1", "s1", "cup", "Tea cup", 1, "19.90", ts));
    try (Clients.Producer p = clients.producer()) {
      assertThat(p.send(events.encode()).getInteger("rejected")).isZero();
    }
  }

  static JsonObject room(String room, String anchor, String title, String platform, long ts) {
    return new JsonObject().put("type", "room").put("room", room).put("anchor", anchor).put("title", title)
        .put("platform", platform).put("status", "live").put("ts", ts);
  }

  static JsonObject viewer(String room, String user, long ts) {
    return new JsonObject().put("type", "viewer").put("room", room).put("user", user).put("action", "enter")
        .put("source", "recommend").put("ts", ts);
  }

  static JsonObject order(String room, String id, String user, String sku, String title, int qty, String amount, long ts) {
    return new JsonObject().put("type", "order").put("room", room).put("order", id).put("user", user).put("sku", sku)
        .put("title", title).put("qty", qty).put("amount", amount).put("ts", ts);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void overviewListsRoomsInGmvOrderWithPlatformTotals() throws Exception {
    browser.go("");
    browser.waitForText("t-gmv", s -> s.equals("¥4,333.90"));
    assertThat(browser.text("t-orders")).isEqualTo("5");
    assertThat(browser.text("t-online")).isEqualTo("8");
    assertThat(browser.text("t-rooms")).isEqualTo("3");
    // Read in one script: the table is re-rendered every second, so elements found one call earlier
    // may already be replaced (a stale element), while one script sees one consistent rendering.
    @SuppressWarnings("unchecked")
    List<List<String>> rows = (List<List<String>>) ((org.openqa.selenium.JavascriptExecutor) browser.driver())
        .executeScript("return Array.from(document.querySelectorAll('#rooms tbody tr'))"
            + ".map(r => [r.getAttribute('data-room'), r.querySelector('.gmv').textContent.trim()]);");
    assertThat(rows).extracting(r -> r.get(0)).containsExactly("web-big", "web-mid", "web-small");
    assertThat(rows.get(0).get(1)).isEqualTo("¥3,985.00");
    String product = (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver())
        .executeScript("return document.querySelector('#products tbody tr').innerText;");
    assertThat(product).contains("Smart door lock").contains("¥3,897.00");
    browser.screenshot("overview");
  }

  @Test
  void roomDashboardShowsBigNumbersChartsAndRanking() throws Exception {
    browser.go("room.html?room=web-big");
    browser.waitForText("n-gmv", s -> s.equals("¥3,985.00"));
    assertThat(browser.text("n-orders")).isEqualTo("3");
    assertThat(browser.text("n-units")).isEqualTo("4");
    assertThat(browser.text("n-online")).isEqualTo("5");
    assertThat(browser.text("n-buyers")).isEqualTo("3");
    assertThat(browser.text("n-aov")).isEqualTo("¥1,328.33");
    assertThat(browser.text("title")).isEqualTo("Double 11");
    String first = (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver())
        .executeScript("return document.querySelector('#products li').innerText;");
    assertThat(first).contains("Smart door lock").contains("¥3,897.00");
    assertThat(browser.text("asof")).matches("\\d\\d:\\d\\d:\\d\\d");
    assertThat(browser.driver().findElements(By.cssSelector("#chart-gmv canvas"))).isNotEmpty();
    browser.screenshot("room");
  }

  @Test
  void pagesSwitchToSimplifiedChinese() {
    browser.go("room.html?room=web-mid");
    browser.waitForText("n-gmv", s -> s.equals("¥329.00"));
    browser.driver().findElement(By.id("lang")).click();
    assertThat(browser.driver().findElement(By.cssSelector("html")).getAttribute("lang")).isEqualTo("zh-CN");
    assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=gmv]")).getText()).isEqualTo("成交额");
    assertThat(browser.text("n-gmv")).isEqualTo("¥329.00");
    browser.driver().findElement(By.id("lang")).click();
    assertThat(browser.driver().findElement(By.cssSelector("[data-i18n=gmv]")).getText()).isEqualTo("GMV");
  }

  @Test
  @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // restarts the server under the other tests
  void pagesReconnectAfterTheServerRestarts() throws Exception {
    browser.go("room.html?room=web-small");
    browser.waitForText("n-gmv", s -> s.equals("¥19.90"));
    server.restart();
    try (Clients fresh = new Clients(server.port()); Clients.Producer p = fresh.producer()) {
      p.send(order("web-small", "s-2", "s1", "cup", "Tea cup", 1, "10.10", System.currentTimeMillis()).encode());
    }
    browser.waitForText("n-gmv", s -> s.equals("¥30.00"));
    assertThat(browser.driver().findElement(By.id("conn")).getAttribute("data-state")).isEqualTo("live");
  }

  @Test
  void anchorViewShowsTheHugeNumbersAndTopProduct() throws Exception {
    browser.go("anchor.html?room=web-big");
    browser.waitForText("gmv", s -> s.equals("¥3,985.00"));
    assertThat(browser.text("online")).isEqualTo("5");
    assertThat(browser.text("orders")).isEqualTo("3");
    assertThat(browser.text("top")).isEqualTo("Smart door lock");
    browser.screenshot("anchor");
  }
}
