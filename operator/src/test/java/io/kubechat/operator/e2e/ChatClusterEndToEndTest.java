package io.kubechat.operator.e2e;

import static io.kubechat.operator.support.Clusters.get;
import static io.kubechat.operator.support.Clusters.patchSpec;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.KubechatOperator;
import io.kubechat.operator.OperatorConfig;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterStatus;
import io.kubechat.operator.crd.HeartbeatSpec;
import io.kubechat.operator.crd.MemberStatus;
import io.kubechat.operator.crd.RaftSpec;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.support.Clusters;
import io.kubechat.operator.support.MockApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator with real chat-pod processes: the mock API server stands in for Kubernetes and
 * {@link KubeletHarness} for the kubelet. One cluster goes through all scenarios in order. Checks
 * that need leader election in the pods (issue 3) run only when the pods report a role.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatClusterEndToEndTest {
  static final String NS = "e2e";
  static final String API_HOST = "127.0.3.3";
  static final List<String> POOL =
      IntStream.rangeClosed(10, 21).mapToObj(i -> "127.0.3." + i).toList();
  static final Duration START = Duration.ofSeconds(120);
  static final Path MEASUREMENTS = Path.of("target/e2e-measurements.txt");

  final String name =
      "e2e" + Long.toString(new Random().nextLong() & 0xffffffL, 36).toLowerCase(Locale.ROOT);
  MockApi api;
  KubernetesClient client;
  KubechatOperator operator;
  KubeletHarness kubelet;

  /** Set once three pods ran ready; the later scenarios need it and are skipped otherwise. */
  boolean running;

  @BeforeAll
  void start() {
    Path jar =
        Path.of(System.getProperty("kubechat.podJar", "../chat-pod/target/kubechat-chat-pod.jar"));
    Assumptions.assumeTrue(Files.isRegularFile(jar), "chat-pod jar missing: " + jar);
    Assumptions.assumeTrue(
        isChatPodServer(jar),
        "the chat-pod jar is not a chat pod server yet (its --help does not list"
            + " KUBECHAT_NODE_NAME): "
            + jar);
    try {
      Files.deleteIfExists(MEASUREMENTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    api = new MockApi(API_HOST);
    client = api.client();
    kubelet = new KubeletHarness(client, NS, jar, POOL, Path.of("target/e2e-pods"));
    operator =
        KubechatOperator.start(
            client,
            OperatorConfig.from(Map.of())
                .withHttp(API_HOST, 0)
                .withLeaderElection(false)
                .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2)));
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (api != null) {
      api.close();
    }
  }

  ChatClusterStatus status() {
    ChatCluster c = get(client, NS, name);
    return c == null ? null : c.getStatus();
  }

  boolean podsReportRoles() {
    ChatClusterStatus s = status();
    return s != null
        && s.getMembers().stream()
            .map(MemberStatus::getRole)
            .anyMatch(r -> r != null && !r.equals("NONE"));
  }

  @Test
  @Order(1)
  void threeReplicasBecomeReady() {
    client
        .resource(
            Clusters.cluster(
                NS,
                name,
                3,
                s -> {
                  HeartbeatSpec hb = new HeartbeatSpec();
                  hb.setIntervalMillis(200);
                  hb.setTimeoutMillis(1000);
                  s.setHeartbeat(hb);
                  RaftSpec raft = new RaftSpec();
                  raft.setMemberRemovalTimeoutSeconds(10);
                  s.setRaft(raft);
                  s.setShutdownGraceSeconds(5);
                }))
        .create();
    await()
        .atMost(START)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              assertThat(s).isNotNull();
              assertThat(s.getReadyReplicas()).isEqualTo(3);
              assertThat(s.getMembers())
                  .hasSize(3)
                  .allSatisfy(
                      m -> {
                        assertThat(m.getReady()).isTrue();
                        assertThat(m.getHealthy()).as("healthy: %s", m.getMessage()).isTrue();
                        assertThat(m.getIncarnation()).isNotBlank();
                        assertThat(m.getState()).isEqualTo("ALIVE");
                      });
            });
    assertThat(kubelet.runningProcesses()).isEqualTo(3);
    running = true;
    statusIsOnlyOnTheAdminPort();
    if (!podsReportRoles()) {
      // Part 1 pods: no consensus; the cluster is Ready without a leader and says why.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                ChatClusterStatus s = status();
                assertThat(s.getPhase()).isEqualTo("Ready");
                assertThat(s.getLeader()).isNull();
                assertThat(s.getConditions())
                    .filteredOn(c -> c.getType().equals("LeaderElected"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.getReason()).isEqualTo("ConsensusDisabled"));
              });
    }
    Assumptions.assumeTrue(
        podsReportRoles(), "the chat pods report role NONE: no leader election yet (issue 3)");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              assertThat(s.getLeader()).isNotNull();
              assertThat(s.getTerm()).isPositive();
              assertThat(s.getPhase()).isEqualTo("Ready");
              assertThat(s.getFormed()).isTrue();
              Pod leader = client.pods().inNamespace(NS).withName(s.getLeader()).get();
              assertThat(leader.getMetadata().getLabels())
                  .containsEntry(Names.ROLE_LABEL, "leader");
            });
    idleClusterIsNotRewritten();
  }

  /** What the operator polls is on each pod's admin port; the client port does not answer it. */
  private void statusIsOnlyOnTheAdminPort() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
      String ip = p.getStatus().getPodIP();
      assertThat(httpGet(http, ip, Names.ADMIN_PORT, "/status"))
          .as("admin port of %s", ip)
          .isEqualTo(200);
      assertThat(httpGet(http, ip, Names.HTTP_PORT, "/status"))
          .as("client port of %s", ip)
          .isEqualTo(404);
      assertThat(httpGet(http, ip, Names.HTTP_PORT, "/metrics"))
          .as("client port of %s", ip)
          .isEqualTo(404);
    }
  }

  private static int httpGet(HttpClient http, String ip, int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Once settled, an idle cluster's ChatCluster keeps its resourceVersion: no status write over
   * five resyncs (2 s) and twenty polls (0.5 s) here, so none per minute at the defaults either.
   */
  private void idleClusterIsNotRewritten() {
    AtomicReference<String> seen = new AtomicReference<>("");
    await("the status settles: the same resourceVersion for 3 s")
        .atMost(Duration.ofSeconds(30))
        .during(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String v = resourceVersion();
              return v.equals(seen.getAndSet(v));
            });
    String settled = resourceVersion();
    long start = System.nanoTime();
    await("no status write while idle")
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(12))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> settled.equals(resourceVersion()));
    try {
      record(
          String.format(
              "idle cluster: 0 ChatCluster writes in %d s (poll 0.5 s, resync 2 s)",
              (System.nanoTime() - start) / 1_000_000_000));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String resourceVersion() {
    return get(client, NS, name).getMetadata().getResourceVersion();
  }

  @Test
  @Order(2)
  void aKilledPodIsReplacedAndAKilledLeaderIsSucceeded() throws IOException {
    Assumptions.assumeTrue(running, "the cluster never ran");
    await().atMost(START).until(() -> "Ready".equals(Objects.requireNonNull(status()).getPhase()));
    boolean roles = podsReportRoles();
    ChatClusterStatus before = status();
    String victim = roles ? before.getLeader() : name + "-1";
    assertThat(victim).isNotNull();
    String oldUid = client.pods().inNamespace(NS).withName(victim).get().getMetadata().getUid();
    long killedAt = System.nanoTime();
    kubelet.kill9(victim);

    String oldIncarnation =
        before.getMembers().stream()
            .filter(m -> m.getPod().equals(victim))
            .map(MemberStatus::getIncarnation)
            .findFirst()
            .orElseThrow();
    long[] newLeaderAt = {0};
    long[] readyAt = {0};
    await()
        .atMost(START)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              long t = System.nanoTime();
              if (roles
                  && newLeaderAt[0] == 0
                  && s.getLeader() != null
                  && !s.getLeader().equals(victim)) {
                newLeaderAt[0] = t;
              }
              Pod replacement = client.pods().inNamespace(NS).withName(victim).get();
              assertThat(replacement).isNotNull();
              assertThat(replacement.getMetadata().getUid()).isNotEqualTo(oldUid);
              if (readyAt[0] == 0 && isReady(replacement)) {
                readyAt[0] = t;
              }
              assertThat(readyAt[0]).as("replacement ready").isPositive();
              assertThat(s.getReadyReplicas()).isEqualTo(3);
              assertThat(s.getMembers())
                  .filteredOn(m -> m.getPod().equals(victim))
                  .singleElement()
                  .satisfies(
                      m -> {
                        assertThat(m.getIncarnation()).isNotEqualTo(oldIncarnation);
                        assertThat(m.getReady()).isTrue();
                      });
            });
    long replacedAt = readyAt[0];
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("ReplacingPodFailed");
              assertThat(e.getMessage()).contains(victim);
            });
    record(
        String.format(
            Locale.ROOT,
            "pod death (kill -9 %s) to replacement Ready: %.1f s",
            victim,
            (replacedAt - killedAt) / 1e9));
    Assumptions.assumeTrue(
        roles, "the chat pods report role NONE: no leader to fail over (issue 3)");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              if (newLeaderAt[0] == 0 && s.getLeader() != null && !s.getLeader().equals(victim)) {
                newLeaderAt[0] = System.nanoTime();
              }
              assertThat(s.getLeader()).isNotNull();
              assertThat(s.getTerm()).isGreaterThan(before.getTerm());
            });
    if (newLeaderAt[0] != 0) {
      record(
          String.format(
              Locale.ROOT,
              "kill -9 of the leader %s to a new leader in the ChatCluster status: %.1f s",
              victim,
              (newLeaderAt[0] - killedAt) / 1e9));
    }
  }

  @Test
  @Order(3)
  void scalesFromThreeToFiveAndBackToThree() {
    Assumptions.assumeTrue(running, "the cluster never ran");
    await().atMost(START).until(() -> "Ready".equals(Objects.requireNonNull(status()).getPhase()));
    patchSpec(client, NS, name, Map.of("replicas", 5));
    await()
        .atMost(START)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              assertThat(s.getReplicas()).isEqualTo(5);
              assertThat(s.getReadyReplicas()).isEqualTo(5);
              assertThat(s.getPhase()).isEqualTo("Ready");
              assertThat(s.getMembers())
                  .allSatisfy(m -> assertThat(m.getState()).isEqualTo("ALIVE"));
            });
    assertThat(kubelet.runningProcesses()).isEqualTo(5);
    String leader = status().getLeader();

    patchSpec(client, NS, name, Map.of("replicas", 3));
    await()
        .atMost(START)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              assertThat(pods(client, NS, name)).hasSize(3);
              assertThat(s.getReplicas()).isEqualTo(3);
              assertThat(s.getReadyReplicas()).isEqualTo(3);
              assertThat(s.getPhase()).isEqualTo("Ready");
            });
    assertThat(kubelet.runningProcesses()).isEqualTo(3);
    if (leader != null) {
      assertThat(pods(client, NS, name))
          .extracting(p -> p.getMetadata().getName())
          .as("the leader is never removed by a scale down")
          .contains(leader);
    }
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .filteredOn(e -> e.getReason().equals("ScalingDown"))
        .hasSize(2);
  }

  @Test
  @Order(4)
  void aSpecChangeRollsThePodsOneAtATime() {
    Assumptions.assumeTrue(running, "the cluster never ran");
    await().atMost(START).until(() -> "Ready".equals(Objects.requireNonNull(status()).getPhase()));
    Map<String, String> uids = new HashMap<>();
    pods(client, NS, name)
        .forEach(p -> uids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    String leader = status().getLeader();
    patchSpec(client, NS, name, Map.of("client", Map.of("idleTimeoutSeconds", 45)));
    int[] mostDisrupted = {0};
    Set<String> readyOnce = new HashSet<>();
    List<String> order = new ArrayList<>();
    await()
        .atMost(START)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              List<Pod> now = pods(client, NS, name);
              // Pods the roll takes out of service: gone or terminating, or recreated and not ready
              // yet. A recreated pod that was ready once and is not for a moment later (Raft pods
              // report not ready during the election of the leader's handover) is the pods'
              // readiness, not the operator disrupting more than one pod.
              List<Pod> serving =
                  now.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
              serving.stream()
                  .filter(ChatClusterEndToEndTest::isReady)
                  .forEach(p -> readyOnce.add(p.getMetadata().getUid()));
              int disrupted =
                  (3 - serving.size())
                      + (int)
                          serving.stream()
                              .filter(
                                  p ->
                                      !p.getMetadata()
                                              .getUid()
                                              .equals(uids.get(p.getMetadata().getName()))
                                          && !readyOnce.contains(p.getMetadata().getUid()))
                              .count();
              mostDisrupted[0] = Math.max(mostDisrupted[0], disrupted);
              now.stream()
                  .filter(
                      p -> !p.getMetadata().getUid().equals(uids.get(p.getMetadata().getName())))
                  .map(p -> p.getMetadata().getName())
                  .filter(n -> !order.contains(n))
                  .forEach(order::add);
              assertThat(now)
                  .hasSize(3)
                  .allSatisfy(
                      p ->
                          assertThat(Clusters.env(p, "KUBECHAT_CLIENT_IDLE_TIMEOUT_S"))
                              .isEqualTo("45"));
              assertThat(s.getReadyReplicas()).isEqualTo(3);
              assertThat(s.getPhase()).isEqualTo("Ready");
            });
    assertThat(mostDisrupted[0])
        .as("pods out of service at once during the rolling update")
        .isLessThanOrEqualTo(1);
    assertThat(order).hasSize(3);
    List<String> rolls =
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .filter(e -> e.getReason().equals("RollingUpdate"))
            .sorted(Comparator.comparing(e -> Instant.parse(e.getLastTimestamp())))
            .map(e -> e.getMessage())
            .toList();
    assertThat(rolls).hasSize(3);
    if (leader != null) {
      // The leader at each step is what the operator saw then; it may move during the roll.
      assertThat(rolls.subList(0, 2)).noneMatch(m -> m.contains("(the leader, last)"));
      assertThat(rolls.get(2)).contains("(the leader, last)");
    }
  }

  /**
   * Two of three pods die for good (kill -9, and their emptyDirs go with them): the survivor alone
   * cannot commit, so the operator re-forms the group from it, the replacements join, and every
   * message acknowledged before the loss is still there, once and in order, under a new epoch.
   */
  @Test
  @Order(5)
  void losingTwoOfThreePodsForGoodIsRecoveredFromTheSurvivor() throws Exception {
    Assumptions.assumeTrue(running && podsReportRoles(), "no consensus to recover");
    await().atMost(START).until(() -> "Ready".equals(Objects.requireNonNull(status()).getPhase()));
    List<Pod> before = pods(client, NS, name);
    Pod survivor = before.get(0);
    E2eChat.Written written = E2eChat.writeAcked(survivor.getStatus().getPodIP(), "recovery", 20);
    List<String> victims =
        before.subList(1, 3).stream().map(p -> p.getMetadata().getName()).toList();
    long killedAt = System.nanoTime();
    victims.forEach(kubelet::kill9);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              assertThat(s.getReadyReplicas()).isEqualTo(3);
              assertThat(s.getPhase()).isEqualTo("Ready");
              assertThat(s.getConditions())
                  .filteredOn(c -> c.getType().equals("QuorumRecovered"))
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("Recovered");
                        assertThat(c.getMessage())
                            .contains(survivor.getMetadata().getName(), "may be lost");
                      });
            });
    record(
        String.format(
            Locale.ROOT,
            "kill -9 of 2 of 3 pods (emptyDir) to a recovered, Ready ChatCluster: %.1f s",
            (System.nanoTime() - killedAt) / 1e9));
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RecoveringQuorum"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getReason()).isEqualTo("QuorumRecovered");
              assertThat(e.getMessage())
                  .contains(survivor.getMetadata().getName(), "log index", "may be lost");
            });
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .as("the operator's own recovery explains the new group")
        .noneMatch(e -> e.getReason().equals("GroupReformed"));
    assertThat(status().getGroup()).isNotBlank();
    assertThat(pods(client, NS, name))
        .filteredOn(p -> victims.contains(p.getMetadata().getName()))
        .hasSize(2)
        .allSatisfy(
            p ->
                assertThat(p.getMetadata().getUid())
                    .isNotIn(before.stream().map(b -> b.getMetadata().getUid()).toList()));
    // The history, read back through a replacement: every acked message once, in order.
    Pod replacement = client.pods().inNamespace(NS).withName(victims.get(0)).get();
    E2eChat.History history = E2eChat.readBack(replacement.getStatus().getPodIP(), "recovery");
    assertThat(history.texts()).isEqualTo(written.texts());
    assertThat(history.epoch()).as("a new epoch").isNotEqualTo(written.epoch());
  }

  /**
   * Every pod dies (kill -9) and is replaced, one after another, 4 s apart: each replacement is a
   * new member with an empty data directory. Whether the leader swaps each in before the next
   * death, the group loses its quorum on the way (and the operator recovers it), or every copy of
   * the history dies before a replacement caught up (and the pods form a new group), the cluster is
   * Ready again, never down for good.
   */
  @Test
  @Order(6)
  void aBurstOfPodDeathsFourSecondsApartHeals() throws Exception {
    Assumptions.assumeTrue(running && podsReportRoles(), "no consensus");
    await().atMost(START).until(() -> "Ready".equals(Objects.requireNonNull(status()).getPhase()));
    List<Pod> before = pods(client, NS, name);
    E2eChat.Written written = E2eChat.writeAcked(before.get(0).getStatus().getPodIP(), "burst", 10);
    for (Pod p : before) {
      String pod = p.getMetadata().getName();
      kubelet.kill9(pod);
      if (p != before.get(before.size() - 1)) {
        // the fault schedule of issue 11: the next death comes 4 s after this one
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      }
    }
    long lastKill = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              ChatClusterStatus s = status();
              assertThat(s.getReadyReplicas()).isEqualTo(3);
              assertThat(s.getPhase()).isEqualTo("Ready");
              assertThat(pods(client, NS, name))
                  .extracting(p -> p.getMetadata().getUid())
                  .doesNotContainAnyElementsOf(
                      before.stream().map(p -> p.getMetadata().getUid()).toList());
            });
    record(
        String.format(
            Locale.ROOT,
            "kill -9 of every pod, 4 s apart (each replaced with an empty data directory), to a"
                + " Ready ChatCluster: %.1f s after the last kill",
            (System.nanoTime() - lastKill) / 1e9));
    // With emptyDirs, the history survives when a replacement caught up before the last copy died;
    // when all three copies died first it is gone, and the pods formed a new group (never a
    // partial, doubled or reordered history).
    Pod any = pods(client, NS, name).get(0);
    List<String> history = E2eChat.readBack(any.getStatus().getPodIP(), "burst").texts();
    record(
        "the burst's history: "
            + (history.isEmpty()
                ? "lost (every copy died before a replacement caught up)"
                : "intact"));
    boolean reformed =
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .anyMatch(e -> e.getReason().equals("GroupReformed"));
    if (history.isEmpty()) {
      assertThat(reformed).as("a Warning GroupReformed says the history may be lost").isTrue();
    } else {
      assertThat(history).isEqualTo(written.texts());
    }
  }

  @Test
  @Order(7)
  void deletingTheChatClusterStopsEveryPod() {
    client.resources(ChatCluster.class).inNamespace(NS).withName(name).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(pods(client, NS, name)).isEmpty();
              assertThat(kubelet.runningProcesses()).isZero();
              assertThat(client.services().inNamespace(NS).list().getItems()).isEmpty();
            });
  }

  static boolean isReady(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** The build skeleton's chat-pod jar only prints a line; a real pod documents its variables. */
  static boolean isChatPodServer(Path jar) {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m",
                  "-jar",
                  jar.toString(),
                  "--help")
              .redirectErrorStream(true)
              .start();
      try {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor(60, TimeUnit.SECONDS) && out.contains("KUBECHAT_NODE_NAME");
      } finally {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void record(String line) throws IOException {
    System.out.println("MEASURED " + line);
    Files.writeString(
        MEASUREMENTS,
        line + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
