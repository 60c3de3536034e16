package io.kubechat.pod.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through Debian's chromedriver. Both paths are given explicitly, so
 * Selenium Manager (which would look for, and possibly download, a driver and a browser) is never
 * run; {@link #seleniumLog()} lets a test prove it from Selenium's own log.
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  // Strong references: java.util.logging keeps loggers only weakly.
  private static final Logger FINDER_LOG =
      Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");
  private static final Logger MANAGER_LOG =
      Logger.getLogger("org.openqa.selenium.manager.SeleniumManager");
  private static final List<String> SELENIUM_LOG = new CopyOnWriteArrayList<>();
  // Debian's chromium is newer than the CDP versions Selenium bundles; the test uses WebDriver
  // only,
  // not CDP, so the "Unable to find CDP implementation" warnings are noise.
  private static final List<Logger> QUIET =
      List.of(
          Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
          Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

  static {
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            SELENIUM_LOG.add(r.getLoggerName() + ": " + r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    QUIET.forEach(l -> l.setLevel(Level.SEVERE));
    for (Logger l : List.of(FINDER_LOG, MANAGER_LOG)) {
      l.setLevel(Level.FINE);
      l.addHandler(capture);
    }
  }

  private HeadlessChromium() {}

  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** A fresh browser (own profile directory, so its sessionStorage and cache are its own). */
  static ChromeDriver start(Path workDir, String name) throws IOException {
    return start(workDir, name, List.of());
  }

  /** A fresh browser with {@code extraArguments} on its command line. */
  static ChromeDriver start(Path workDir, String name, List<String> extraArguments)
      throws IOException {
    Files.createDirectories(workDir);
    Path profile = Files.createTempDirectory(workDir, name + "-profile-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File(workDir.toFile(), name + "-chromedriver.log"))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--metrics-recording-only",
        "--window-size=1100,720",
        "--user-data-dir=" + profile);
    options.addArguments(extraArguments);
    ChromeDriver driver = new ChromeDriver(service, options);
    // Should the test JVM end without @AfterAll (a crash, a kill), chromium must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> quit(driver)));
    return driver;
  }

  /** Ends the browser and its chromedriver; safe to call twice. */
  static void quit(ChromeDriver driver) {
    try {
      if (driver.getSessionId() != null) {
        driver.quit();
      }
    } catch (RuntimeException e) {
      // already gone
    }
  }

  /** What Selenium logged about finding the driver (DriverFinder) and about Selenium Manager. */
  static List<String> seleniumLog() {
    return List.copyOf(SELENIUM_LOG);
  }
}
