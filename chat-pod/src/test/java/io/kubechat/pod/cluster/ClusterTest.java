package io.kubechat.pod.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three chat pods, each in its own JVM on its own loopback address (127.0.1.3-5), shared by the
 * tests of this class: cross-pod chat, kill -9 (SUSPECT then DEAD), restart (new incarnation),
 * graceful stop (LEFT, clients told 4001). Heartbeats every 200 ms, timeout 1 s (DEAD after 3 s).
 */
class ClusterTest {
  static final int PORT = 8080;
  static final int ADMIN_PORT = TestCluster.ADMIN_PORT;
  static final long TIMEOUT_MS = 1000;
  static final Map<String, PodProcess> PODS = new LinkedHashMap<>();
  static Vertx clients;
  final List<WsTestClient> open = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    String clusterName = "cluster-" + UUID.randomUUID();
    List<String> ips = List.of("127.0.1.3", "127.0.1.4", "127.0.1.5");
    Map<String, String> env =
        Map.of(
            "KUBECHAT_CLUSTER_NAME",
            clusterName,
            "KUBECHAT_DISCOVERY",
            "static",
            "KUBECHAT_STATIC_MEMBERS",
            String.join(",", ips),
            "KUBECHAT_HEARTBEAT_INTERVAL_MS",
            "200",
            "KUBECHAT_HEARTBEAT_TIMEOUT_MS",
            Long.toString(TIMEOUT_MS),
            "KUBECHAT_SHUTDOWN_GRACE_S",
            "5");
    Path logs = Path.of("target", "cluster-test-logs");
    for (int i = 0; i < ips.size(); i++) {
      PodProcess p =
          new PodProcess(
              "pod-" + (i + 1), ips.get(i), i == 0 ? PodProcess.bootstrapping(env) : env, logs);
      PODS.put(p.node(), p.start());
    }
    clients = Vertx.vertx();
    awaitAllAlive();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    PODS.values().forEach(PodProcess::kill);
    if (clients != null) {
      clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void everyPodRunning() {
    PODS.values().stream().filter(p -> !p.isAlive()).forEach(PodProcess::start);
    awaitAllAlive();
  }

  @AfterEach
  void closeClients() {
    open.forEach(WsTestClient::close);
  }

  /** Every pod is ready and sees all three ALIVE, each hearing it. */
  static void awaitAllAlive() {
    Awaitility.await("3 pods ALIVE everywhere")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (PodProcess p : PODS.values()) {
                assertThat(p.isAlive()).as("%s runs; log:\n%s", p.node(), p.logTail()).isTrue();
                JsonObject s = Http.status(p.ip(), ADMIN_PORT);
                assertThat(s).as("status of %s", p.node()).isNotNull();
                assertThat(s.getBoolean("ready")).isTrue();
                assertThat(s.getJsonArray("members")).hasSize(3);
                s.getJsonArray("members").stream()
                    .map(JsonObject.class::cast)
                    .forEach(
                        m -> {
                          assertThat(m.getString("state"))
                              .as("%s on %s", m.getString("node"), p.node())
                              .isEqualTo("ALIVE");
                          assertThat(m.getBoolean("hearsUs"))
                              .as("%s hears %s", m.getString("node"), p.node())
                              .isTrue();
                        });
              }
            });
  }

  WsTestClient client(String pod, String user) {
    WsTestClient c =
        WsTestClient.hello(clients, PODS.get(pod).ip(), PORT, user, user + "-" + UUID.randomUUID());
    open.add(c);
    return c;
  }

  /** Both join a fresh group; returns once {@code watcher} saw {@code other} join. */
  static void inOneGroup(WsTestClient watcher, WsTestClient other, String otherUser) {
    String g = "g-" + UUID.randomUUID().toString().substring(0, 8);
    watcher.join(g);
    other.join(g);
    watcher.await(
        f -> "joined".equals(f.getString("type")) && otherUser.equals(f.getString("user")));
  }

  @Test
  void clientsOnDifferentPodsChatInOneGroup() {
    String g = "room-" + UUID.randomUUID().toString().substring(0, 8);
    WsTestClient a = client("pod-1", "ada");
    WsTestClient b = client("pod-2", "bo");
    WsTestClient c = client("pod-3", "cy");
    a.join(g);
    b.join(g);
    c.join(g);
    // Presence crosses pods: ada learns about both others, with the full member list.
    a.await(
        f ->
            "joined".equals(f.getString("type"))
                && "cy".equals(f.getString("user"))
                && f.getJsonArray("members").getList().containsAll(List.of("ada", "bo", "cy")));
    a.send(
        new JsonObject()
            .put("type", "send")
            .put("group", g)
            .put("id", "a1")
            .put("text", "from pod-1"));
    b.send(
        new JsonObject()
            .put("type", "send")
            .put("group", g)
            .put("id", "b1")
            .put("text", "from pod-2"));
    c.send(
        new JsonObject()
            .put("type", "send")
            .put("group", g)
            .put("id", "c1")
            .put("text", "from pod-3"));
    for (WsTestClient client : List.of(a, b, c)) {
      for (String id : List.of("a1", "b1", "c1")) {
        client.await(f -> "message".equals(f.getString("type")) && id.equals(f.getString("id")));
      }
      assertThat(client.count(f -> "message".equals(f.getString("type")))).isEqualTo(3);
    }
    JsonObject fromC =
        a.await(f -> "message".equals(f.getString("type")) && "c1".equals(f.getString("id")));
    assertThat(fromC.getString("node")).isEqualTo("pod-3");
    assertThat(fromC.getString("from")).isEqualTo("cy");
    a.await(f -> "ack".equals(f.getString("type")) && "a1".equals(f.getString("id")));
  }

  @Test
  void aKilledPodIsSuspectThenDeadAndARestartComesBackWithANewIncarnation() {
    WsTestClient watcher = client("pod-1", "watcher");
    inOneGroup(watcher, client("pod-3", "victim"), "victim");
    String oldIncarnation = Http.status("127.0.1.5", ADMIN_PORT).getString("incarnation");

    long t0 = System.nanoTime();
    PODS.get("pod-3").kill();
    List<String> seenOnPod1 = new ArrayList<>();
    Awaitility.await("pod-3 DEAD on pod-1 and pod-2")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              String s1 = Http.memberState("127.0.1.3", ADMIN_PORT, "pod-3");
              if (seenOnPod1.isEmpty() || !seenOnPod1.get(seenOnPod1.size() - 1).equals(s1)) {
                seenOnPod1.add(s1);
              }
              return "DEAD".equals(s1)
                  && "DEAD".equals(Http.memberState("127.0.1.4", ADMIN_PORT, "pod-3"));
            });
    long toDeadMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "kill -9 to DEAD on both peers: %d ms (timeout %d ms, DEAD after %d ms)%n",
        toDeadMs, TIMEOUT_MS, 3 * TIMEOUT_MS);
    assertThat(seenOnPod1).containsSubsequence("ALIVE", "SUSPECT", "DEAD");
    assertThat(toDeadMs).isGreaterThanOrEqualTo(3 * TIMEOUT_MS - 500);
    assertThat(Http.get("127.0.1.3", ADMIN_PORT, "/metrics").body())
        .containsPattern("kubechat_heartbeats_missed_total [1-9]")
        .contains("kubechat_cluster_members{state=\"DEAD\"} 1.0");
    JsonObject gone =
        watcher.await(
            f -> "left".equals(f.getString("type")) && "victim".equals(f.getString("user")));
    assertThat(gone.getString("reason")).isEqualTo("node-gone");
    assertThat(gone.getJsonArray("members").getList()).containsExactly("watcher");

    PODS.get("pod-3").start();
    awaitAllAlive();
    String newIncarnation = Http.status("127.0.1.5", ADMIN_PORT).getString("incarnation");
    assertThat(newIncarnation).isNotEqualTo(oldIncarnation);
    assertThat(Http.member("127.0.1.3", ADMIN_PORT, "pod-3").getString("incarnation"))
        .isEqualTo(newIncarnation);
    assertThat(Http.member("127.0.1.4", ADMIN_PORT, "pod-3").getString("incarnation"))
        .isEqualTo(newIncarnation);
  }

  @Test
  void aGracefulStopClosesClientsWithShutdownAndShowsLeft() {
    WsTestClient watcher = client("pod-2", "stayer");
    WsTestClient leaver = client("pod-3", "leaver");
    inOneGroup(watcher, leaver, "leaver");

    PodProcess pod3 = PODS.get("pod-3");
    long t0 = System.nanoTime();
    pod3.terminate();
    assertThat(leaver.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 4001);
    Awaitility.await("pod-3 LEFT")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                "LEFT".equals(Http.memberState("127.0.1.3", ADMIN_PORT, "pod-3"))
                    && "LEFT".equals(Http.memberState("127.0.1.4", ADMIN_PORT, "pod-3")));
    JsonObject gone =
        watcher.await(
            f -> "left".equals(f.getString("type")) && "leaver".equals(f.getString("user")));
    assertThat(gone.getString("reason")).isEqualTo("node-gone");
    Awaitility.await("pod-3 exits within its grace period")
        .atMost(Duration.ofSeconds(15))
        .until(() -> !pod3.isAlive());
    System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(pod3.exitCode()).as("a clean stop exits 0; log:\n%s", pod3.logTail()).isZero();
    // LEFT stays LEFT (no SUSPECT/DEAD afterwards).
    assertThat(Http.memberState("127.0.1.4", ADMIN_PORT, "pod-3")).isEqualTo("LEFT");
  }
}
