package io.livepulse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium through /usr/bin/chromedriver (no browser download). */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final int port;

  private Browser(ChromeDriver driver, int port) {
    this.driver = driver;
    this.port = port;
  }

  public static Browser open(int port, int width, int height) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      if (System.getenv("LIVEPULSE_REQUIRE_EXTERNAL_PG") != null) {
        throw new IllegalStateException("Debian's chromium and chromium-driver are required");
      }
      Assumptions.abort("chromium / chromium-driver not installed; .ci/run installs them");
    }
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--lang=en-US", "--window-size=" + width + "," + height,
            "--user-data-dir=" + TempDirs.create("livepulse-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    return new Browser(new ChromeDriver(service, options), port);
  }

  public WebDriver driver() {
    return driver;
  }

  public void go(String path) {
    driver.get("http://127.0.0.1:" + port + "/" + path);
  }

  /** Waits (polling the DOM, no sleeps) until the element's text satisfies the condition. */
  public String waitForText(String id, java.util.function.Predicate<String> ok) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(() -> "#" + id + " was: " + text(id) + consoleErrors())
        .until(d -> ok.test(text(id)));
    return text(id);
  }

  /** Waits (WebDriver's own polling, no sleeps) until the script's string result satisfies the condition. */
  public String waitForScript(String script, java.util.function.Predicate<String> ok, Object... args) {
    String[] last = {null};
    new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(() -> "script gave: " + last[0] + consoleErrors())
        .until(d -> {
          last[0] = (String) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(script, args);
          return last[0] != null && ok.test(last[0]);
        });
    return last[0];
  }

  public String text(String id) {
    try {
      return driver.findElement(By.id(id)).getText();
    } catch (RuntimeException e) {
      return null;
    }
  }

  public String consoleErrors() {
    List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
    return entries.isEmpty() ? "" : "\nbrowser console: " + entries;
  }

  public Path screenshot(String name) throws IOException {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
