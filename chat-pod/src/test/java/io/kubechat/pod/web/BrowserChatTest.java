package io.kubechat.pod.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.PodsReady;
import io.kubechat.pod.support.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The chat page in two headless Chromium browsers against three chat pods (processes on
 * 127.0.5.2-4): page A is served by pod-1, page B by pod-2. They chat; then pod-1 is killed with
 * kill -9 and page A reconnects to another pod through its fallback list ({@code servers=}),
 * resends what it queued meanwhile, and B shows every message of A exactly once, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserChatTest {
  static final int PORT = 8080;
  static final List<String> IPS = List.of("127.0.5.2", "127.0.5.3", "127.0.5.4");
  static final Path WORK = Path.of("target", "browser-test");
  static final Map<String, PodProcess> PODS = new LinkedHashMap<>();
  static final List<ChromeDriver> DRIVERS = new ArrayList<>();
  static ChatPage pageA;
  static ChatPage pageB;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        HeadlessChromium.installed(),
        "browser test skipped: "
            + HeadlessChromium.CHROMIUM
            + " or "
            + HeadlessChromium.CHROMEDRIVER
            + " is missing (apt-get install chromium chromium-driver, as .ci/run does)");
    Map<String, String> env =
        Map.of(
            "KUBECHAT_CLUSTER_NAME", "web-" + UUID.randomUUID(),
            "KUBECHAT_DISCOVERY", "static",
            "KUBECHAT_STATIC_MEMBERS", String.join(",", IPS),
            "KUBECHAT_HEARTBEAT_INTERVAL_MS", "200",
            "KUBECHAT_HEARTBEAT_TIMEOUT_MS", "1000",
            "KUBECHAT_SHUTDOWN_GRACE_S", "5");
    for (int i = 0; i < IPS.size(); i++) {
      PodProcess p =
          new PodProcess(
              "pod-" + (i + 1),
              IPS.get(i),
              i == 0 ? PodProcess.bootstrapping(env) : env,
              WORK.resolve("logs"));
      PODS.put(p.node(), p.start());
    }
    // The browsers start while the pods form their cluster (both take a few seconds).
    DRIVERS.add(HeadlessChromium.start(WORK, "a"));
    DRIVERS.add(HeadlessChromium.start(WORK, "b"));
    pageA = new ChatPage(DRIVERS.get(0));
    pageB = new ChatPage(DRIVERS.get(1));
    PodsReady.awaitAllAlive(PODS.values(), TestCluster.ADMIN_PORT, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    try {
      DRIVERS.forEach(HeadlessChromium::quit);
    } finally {
      PODS.values().forEach(PodProcess::kill);
    }
  }

  static ConditionFactory await(String what) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50));
  }

  static String group() {
    return "g-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Page A on pod-1 (with pod-2 and pod-3 as fallbacks), page B on pod-2, both in {@code group}.
   */
  static void openBoth(String group) {
    pageA.open(
        "http://127.0.5.2:"
            + PORT
            + "/?user=ann&group="
            + group
            + "&servers=127.0.5.3:"
            + PORT
            + ",127.0.5.4:"
            + PORT
            + "&backoffMs=4000");
    pageB.open("http://127.0.5.3:" + PORT + "/?user=bob&group=" + group);
    await("both pages connected")
        .untilAsserted(
            () -> {
              assertThat(pageA.state()).isEqualTo("connected");
              assertThat(pageB.state()).isEqualTo("connected");
            });
    assertThat(pageA.node()).isEqualTo("pod-1");
    assertThat(pageB.node()).isEqualTo("pod-2");
    await("each page lists both members")
        .untilAsserted(
            () -> {
              assertThat(pageA.members()).containsExactly("ann", "bob");
              assertThat(pageB.members()).containsExactly("ann", "bob");
            });
  }

  @Test
  @Order(1)
  void seleniumManagerIsNeverRun() {
    assertThat(HeadlessChromium.seleniumLog())
        .as("Selenium's driver lookup log")
        .anyMatch(line -> line.contains("Skipping Selenium Manager"))
        .noneMatch(line -> line.startsWith("org.openqa.selenium.manager.SeleniumManager"));
  }

  /**
   * The page's protocol client (chat-core.js) against a scripted fake server, in the browser: the
   * ordering semantics (seq, epoch, gap, reset, UNAVAILABLE) and the close codes, which real pods
   * produce only under faults. The checks are in src/test/resources/web/chat-core-checks.js.
   */
  @Test
  @Order(2)
  void theProtocolClientHandlesResumeDedupOutboxAndCloseCodes() throws Exception {
    String script;
    try (var in = BrowserChatTest.class.getResourceAsStream("/web/chat-core-checks.js")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    pageA.open("http://127.0.5.2:" + PORT + "/");
    // Without parameters (and no session in this tab yet) the page waits at its join form.
    assertThat(pageA.joinFormShown()).isTrue();
    assertThat(pageA.state()).isEqualTo("offline");
    pageA.screenshot(WORK.resolve("page-join-form.png"));
    List<Map<String, Object>> results = pageA.runAsync(script, Duration.ofSeconds(30));
    assertThat(results)
        .extracting(r -> r.get("name"))
        .as("checks run")
        .hasSizeGreaterThanOrEqualTo(14);
    assertThat(results).filteredOn(r -> r.get("error") != null).as("failed checks").isEmpty();
  }

  @Test
  @Order(3)
  void twoPagesOnTwoPodsExchangeMessagesInOrder() throws Exception {
    openBoth(group());
    pageA.say("hello from ann");
    await("bob sees ann's message").until(() -> pageB.messages().contains("ann: hello from ann"));
    pageB.say("hi ann, bob here");
    // ann answers after she has seen bob's message, so the order is the same everywhere.
    await("ann sees bob's message").until(() -> pageA.messages().contains("bob: hi ann, bob here"));
    pageA.say("how is pod-2?");
    pageA.say("<b>not bold</b>");
    List<String> expected =
        List.of(
            "ann: hello from ann",
            "bob: hi ann, bob here",
            "ann: how is pod-2?",
            "ann: <b>not bold</b>");
    await("bob sees all four").until(() -> pageB.messages().size() >= 4);
    await("ann sees all four").until(() -> pageA.messages().size() >= 4);
    // Each page shows each message once, in the same order.
    assertThat(pageB.messages()).containsExactlyElementsOf(expected);
    assertThat(pageA.messages()).containsExactlyElementsOf(expected);
    await("ann's outbox drained").until(() -> pageA.outbox().isEmpty());
    assertThat(pageB.messages())
        .as("markup in a message is shown as text")
        .contains("ann: <b>not bold</b>");
    pageB.screenshot(WORK.resolve("page-b-chat.png"));
  }

  @Test
  @Order(4)
  void thePageSurvivesTheDeathOfItsPod() throws Exception {
    String clientIdBefore;
    openBoth(group());
    clientIdBefore = pageA.clientId();
    pageA.say("before the crash");
    await("bob sees it").until(() -> pageB.messages().contains("ann: before the crash"));

    PODS.get("pod-1").kill(); // kill -9 of the pod page A is connected to
    await("page A notices and waits to reconnect")
        .until(() -> "reconnecting".equals(pageA.state()));
    assertThat(pageA.statusText()).matches("Reconnecting in \\d+ s \\(attempt 1\\)");
    // Typed while disconnected: kept in the outbox and shown as pending.
    pageA.say("queued 1");
    pageA.say("queued 2");
    assertThat(pageA.state())
        .as("still waiting for the reconnect (first delay 2-4 s)")
        .isEqualTo("reconnecting");
    assertThat(pageA.outbox())
        .extracting(r -> r.get("text"), r -> r.get("pending"))
        .containsExactly(Tuple.tuple("queued 1", true), Tuple.tuple("queued 2", true));
    pageA.screenshot(WORK.resolve("page-a-reconnecting.png"));

    await("page A reconnects to a live pod")
        .untilAsserted(
            () -> {
              assertThat(pageA.state()).isEqualTo("connected");
              assertThat(pageA.node()).isIn("pod-2", "pod-3");
            });
    assertThat(pageA.clientId()).as("same client after the reconnect").isEqualTo(clientIdBefore);
    assertThat(pageA.notices())
        .anyMatch(n -> n.startsWith("Lost the connection to pod-1"))
        .anyMatch(n -> n.startsWith("Reconnected to pod-"));
    pageA.say("after the reconnect");

    List<String> fromAnn =
        List.of(
            "ann: before the crash", "ann: queued 1", "ann: queued 2", "ann: after the reconnect");
    await("bob sees everything ann sent").until(() -> pageB.messages().containsAll(fromAnn));
    await("ann's outbox drained").until(() -> pageA.outbox().isEmpty());
    assertThat(pageB.messages())
        .as("every message of ann exactly once, in order, at bob")
        .containsExactlyElementsOf(fromAnn);
    assertThat(pageA.messages()).as("and at ann").containsExactlyElementsOf(fromAnn);
    pageA.screenshot(WORK.resolve("page-a-after-reconnect.png"));
    pageB.screenshot(WORK.resolve("page-b-after-crash.png"));
  }
}
