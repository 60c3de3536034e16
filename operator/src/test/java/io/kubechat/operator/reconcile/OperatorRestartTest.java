package io.kubechat.operator.reconcile;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.get;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubechat.operator.KubechatOperator;
import io.kubechat.operator.OperatorConfig;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterStatus;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.status.ConditionSpec;
import io.kubechat.operator.status.Conditions;
import io.kubechat.operator.support.Clusters;
import io.kubechat.operator.support.MockApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An operator that restarts with a new default pod image rolls the pods with the leader last, and
 * neither reports nor announces a lost leader it has simply not polled yet. The pods are fake:
 * local HTTP servers on the admin port (9090) of their pod IPs answer /status as a formed Raft
 * group would, and the test plays the kubelet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorRestartTest {
  static final String NS = "restart";
  static final String HOST = "127.0.3.9";
  static final String NAME = "rs";
  static final String LEADER = "rs-2";

  MockApi api;
  KubernetesClient client;
  final List<HttpServer> fakePods = new ArrayList<>();
  ScheduledExecutorService kubelet;

  static String ip(int ordinal) {
    return "127.0.5." + (10 + ordinal);
  }

  @BeforeAll
  void start() throws IOException {
    api = new MockApi(HOST);
    client = api.client();
    for (int o = 0; o < 3; o++) {
      String pod = NAME + "-" + o;
      HttpServer s = HttpServer.create(new InetSocketAddress(ip(o), Names.ADMIN_PORT), 8);
      byte[] body = status(pod).getBytes(StandardCharsets.UTF_8);
      s.createContext(
          "/status",
          ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
          });
      s.start();
      fakePods.add(s);
    }
    // The kubelet: every pod without an IP starts at once and is ready.
    kubelet = Executors.newSingleThreadScheduledExecutor();
    kubelet.scheduleWithFixedDelay(
        () -> {
          try {
            for (Pod p : pods(client, NS, NAME)) {
              if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
                int o = Integer.parseInt(p.getMetadata().getLabels().get(Names.ORDINAL_LABEL));
                Clusters.setPodStatus(client, p, "Running", true, ip(o));
              }
            }
          } catch (RuntimeException e) {
            // a pod deleted meanwhile; the next round sees the new one
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }

  /** What a pod of a formed group led by rs-2 at term 4 reports. */
  static String status(String pod) {
    StringBuilder members = new StringBuilder();
    for (int o = 0; o < 3; o++) {
      String other = NAME + "-" + o;
      if (!other.equals(pod)) {
        members.append(members.isEmpty() ? "" : ",");
        members.append(
            "{\"node\":\"%s\",\"incarnation\":\"i-%s\",\"state\":\"ALIVE\",\"lastSeenMillisAgo\":5}"
                .formatted(other, other));
      }
    }
    return ("{\"node\":\"%s\",\"incarnation\":\"i-%s\",\"ready\":true,\"role\":\"%s\","
            + "\"term\":4,\"leader\":\"%s\",\"members\":[%s]}")
        .formatted(
            pod, pod, pod.equals(LEADER) ? "LEADER" : "FOLLOWER", LEADER, members.toString());
  }

  @AfterAll
  void stop() {
    if (kubelet != null) {
      kubelet.shutdownNow();
    }
    fakePods.forEach(s -> s.stop(0));
    if (api != null) {
      api.close();
    }
  }

  static OperatorConfig config(String podImage) {
    return OperatorConfig.from(Map.of("KUBECHAT_OPERATOR_POD_IMAGE", podImage))
        .withHttp(HOST, 0)
        .withLeaderElection(false)
        .withTimings(Duration.ofMillis(500), Duration.ofSeconds(1))
        .embedded();
  }

  @Test
  void aRestartedOperatorWithANewImageRollsTheLeaderLastAndLosesNoLeader() {
    try (KubernetesClient first = api.operatorClient()) {
      KubechatOperator operator = KubechatOperator.start(first, config("kubechat/chat-pod:1"));
      try {
        client.resource(cluster(NS, NAME, 3, s -> s.setImage(null))).create();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  ChatClusterStatus s = get(client, NS, NAME).getStatus();
                  assertThat(s).isNotNull();
                  assertThat(s.getLeader()).isEqualTo(LEADER);
                  assertThat(s.getPhase()).isEqualTo("Ready");
                });
      } finally {
        operator.close();
      }
    }
    Instant restart = Instant.now();
    List<ChatClusterStatus> written = new CopyOnWriteArrayList<>();
    try (Watch w =
            client
                .resources(ChatCluster.class)
                .inNamespace(NS)
                .withName(NAME)
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, ChatCluster c) {
                        written.add(c.getStatus());
                      }

                      @Override
                      public void onClose(WatcherException cause) {}
                    });
        KubernetesClient second = api.operatorClient()) {
      KubechatOperator operator = KubechatOperator.start(second, config("kubechat/chat-pod:2"));
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(pods(client, NS, NAME))
                        .hasSize(3)
                        .allSatisfy(
                            p ->
                                assertThat(p.getSpec().getContainers().get(0).getImage())
                                    .isEqualTo("kubechat/chat-pod:2"))
                        .allSatisfy(p -> assertThat(p.getStatus()).isNotNull()));
      } finally {
        operator.close();
      }
    }
    List<Event> after =
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .filter(e -> !Instant.parse(e.getLastTimestamp()).isBefore(restart.minusSeconds(1)))
            .sorted(Comparator.comparing(e -> Instant.parse(e.getLastTimestamp())))
            .toList();
    List<String> rolls =
        after.stream()
            .filter(e -> e.getReason().equals("RollingUpdate"))
            .map(Event::getMessage)
            .toList();
    assertThat(rolls).hasSize(3);
    assertThat(rolls.subList(0, 2)).noneMatch(m -> m.contains(LEADER));
    assertThat(rolls.get(2)).startsWith("recreating " + LEADER + " (the leader, last)");
    // Only deleting the leader costs an election (the fake pods never elect another one).
    assertThat(after)
        .filteredOn(e -> e.getReason().equals("LeaderLost"))
        .extracting(Event::getMessage)
        .noneMatch(m -> m.contains("no pod answers"));
    assertThat(written)
        .as("no status written after the restart says that no pod answers")
        .isNotEmpty()
        .noneMatch(
            s ->
                s != null
                    && Conditions.find(s.getConditions(), ConditionSpec.LEADER_ELECTED)
                        .map(c -> "NoReachablePods".equals(c.getReason()))
                        .orElse(false));
  }
}
