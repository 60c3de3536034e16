package io.kubechat.pod.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/** The chat page in one browser, read through the DOM the user sees. */
final class ChatPage {
  private final ChromeDriver driver;

  ChatPage(ChromeDriver driver) {
    this.driver = driver;
  }

  void open(String url) {
    driver.get(url);
  }

  /** Types a message into the composer and presses Enter, as a user would. */
  void say(String text) {
    driver.findElement(By.id("text")).sendKeys(text, Keys.ENTER);
  }

  /** data-state of the connection indicator: connecting, connected, reconnecting, offline. */
  String state() {
    return driver.findElement(By.id("status")).getDomAttribute("data-state");
  }

  String node() {
    return driver.findElement(By.id("status")).getDomAttribute("data-node");
  }

  String statusText() {
    return driver.findElement(By.id("statusText")).getText();
  }

  /** The delivered messages in display order, as "from: text". */
  List<String> messages() {
    return strings(
        "return [...document.querySelectorAll('#log li.msg')]"
            + ".map(li => li.dataset.from + ': ' + li.querySelector('.text').textContent)");
  }

  /** Own messages waiting for the server, with their state ("pending" or "sent"). */
  List<Map<String, Object>> outbox() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows =
        (List<Map<String, Object>>)
            js().executeScript(
                    "return [...document.querySelectorAll('#pending li')].map(li => ({text:"
                        + " li.querySelector('.text').textContent, pending:"
                        + " li.classList.contains('pending')}))");
    return rows;
  }

  List<String> members() {
    return strings(
        "return [...document.querySelectorAll('#members li')].map(li => li.textContent)");
  }

  /** System lines of the log (connection, presence, gap/reset, errors). */
  List<String> notices() {
    return strings(
        "return [...document.querySelectorAll('#log li.notice')].map(li => li.textContent)");
  }

  /** Runs an asynchronous script (it calls its last argument with the result) in this page. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> runAsync(String script, Duration timeout) {
    driver.manage().timeouts().scriptTimeout(timeout);
    return (List<Map<String, Object>>) js().executeAsyncScript(script);
  }

  /** The join form is visible and the chat is not. */
  boolean joinFormShown() {
    return driver.findElement(By.id("login")).isDisplayed()
        && !driver.findElement(By.id("chat")).isDisplayed();
  }

  String clientId() {
    return (String) js().executeScript("return sessionStorage.getItem('kubechat.clientId')");
  }

  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  @SuppressWarnings("unchecked")
  private List<String> strings(String script) {
    return (List<String>) js().executeScript(script);
  }

  private JavascriptExecutor js() {
    return driver;
  }
}
