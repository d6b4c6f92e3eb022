package io.livepulse.dashboard;

import io.livepulse.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: refreshes the screenshots in docs/ from a running demo server.
 * {@code java -jar target/livepulse.jar --demo} for a few minutes, then
 * {@code mvn test -Dtest=DocScreenshots -Dlivepulse.docs.port=8080}.
 */
@EnabledIfSystemProperty(named = "livepulse.docs.port", matches = "\\d+")
class DocScreenshots {
  @Test
  void refresh() throws Exception {
    int port = Integer.parseInt(System.getProperty("livepulse.docs.port"));
    shoot(port, "", "overview", 1440, 1000, "t-gmv");
    shoot(port, "room.html?room=taobao-1", "room-dashboard", 1440, 1000, "n-gmv");
    shoot(port, "anchor.html?room=taobao-1", "anchor-view", 1280, 720, "gmv");
    shoot(port, "anchor.html?room=taobao-1", "anchor-view-phone", 844, 390, "gmv");
  }

  private static void shoot(int port, String page, String name, int w, int h, String id) throws Exception {
    try (Browser b = Browser.open(port, w, h)) {
      b.go(page);
      b.waitForText(id, s -> s != null && !s.equals("¥0.00") && !s.equals("0"));
      b.waitForText("asof", s -> s.matches("\\d\\d:\\d\\d:\\d\\d"));
      if (page.isEmpty()) {
        // Let the sparklines collect a few seconds of history.
        new org.openqa.selenium.support.ui.WebDriverWait(b.driver(), java.time.Duration.ofSeconds(30)).until(d ->
            (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "const p = document.querySelector('#rooms polyline');"
                    + "return !!p && p.getAttribute('points').split(' ').length >= 15;"));
      }
      Path shot = b.screenshot(name);
      Files.createDirectories(Path.of("docs"));
      Files.copy(shot, Path.of("docs", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
