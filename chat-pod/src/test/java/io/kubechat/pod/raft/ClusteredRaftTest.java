package io.kubechat.pod.raft;

import static io.kubechat.pod.raft.LocalCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three backends, each on its own clustered Vert.x (Hazelcast bound to 127.0.2.2-4, TCP-IP join),
 * so that every Raft message crosses the real clustered event bus with its codec.
 */
class ClusteredRaftTest {

  private static final List<String> HOSTS = List.of("127.0.2.2", "127.0.2.3", "127.0.2.4");
  private static final int PORT = 5801;
  private static final List<Vertx> VERTICES = new ArrayList<>();
  private static final List<TestPod> PODS = new ArrayList<>();
  private static final Map<String, MemberInfo> VIEW = TestPod.view();
  private static final Set<Integer> CLOSED = new HashSet<>();

  @BeforeAll
  static void startCluster() {
    String cluster = "raft-test-" + UUID.randomUUID();
    List<Future<Vertx>> starting = new ArrayList<>();
    for (String host : HOSTS) {
      starting.add(ClusteredNode.start(cluster, host, PORT, HOSTS));
    }
    for (Future<Vertx> f : starting) {
      VERTICES.add(get(f));
    }
    RaftSettings settings = RaftSettings.defaults().withDiscoveryWindowMs(500);
    // All at once, as pods start: the bootstrapping one forms the group only when every other
    // node of the cluster has answered that it is in none.
    List<Future<Void>> started = new ArrayList<>();
    for (int i = 0; i < HOSTS.size(); i++) {
      TestPod pod =
          new TestPod(VERTICES.get(i), "p" + (i + 1), settings.withBootstrap(i == 0), VIEW);
      PODS.add(pod);
      started.add(pod.backend.start());
    }
    started.forEach(LocalCluster::get);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    for (int i = 0; i < PODS.size(); i++) {
      if (!CLOSED.contains(i)) {
        PODS.get(i)
            .backend
            .abort()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        closing.add(VERTICES.get(i).close());
      }
    }
    Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static TestPod leader() {
    return PODS.stream().filter(p -> p.role().equals("LEADER")).findFirst().orElse(null);
  }

  @Test
  void ordersSendsFromEveryPodAndSurvivesTheLossOfTheLeader() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                leader() != null
                    && leader().backend.status().members().stream().filter(m -> m.voter()).count()
                        == 3);
    List<Future<SendResult>> acks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      for (TestPod p : PODS) {
        acks.add(
            p.backend.send(
                new SendRequest(
                    "room", "u-" + p.node, "c-" + p.node, "m" + i, "hello " + i, p.node)));
      }
    }
    assertThat(acks.stream().map(LocalCluster::get).map(SendResult::seq).toList())
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
    await().until(() -> PODS.stream().allMatch(p -> p.messages("room").size() == 15));
    List<ChatMessage> order = PODS.get(0).messages("room");
    PODS.forEach(p -> assertThat(p.messages("room")).isEqualTo(order));

    // the leader's pod dies: its Vert.x leaves the cluster, heartbeats say DEAD
    TestPod old = leader();
    int i = PODS.indexOf(old);
    get(old.backend.abort());
    get(VERTICES.get(i).close());
    CLOSED.add(i);
    VIEW.put(old.node, new MemberInfo(old.node, old.incarnation, MemberState.DEAD, 6000, false));
    List<TestPod> rest = PODS.stream().filter(p -> p != old).toList();
    long t0 = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              TestPod l = leader();
              return l != null && l != old;
            });
    TestPod sender = rest.get(0);
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () ->
                get(sender.backend.send(
                            new SendRequest(
                                "room", "u", "c-after", "after", "still here", sender.node)))
                        .seq()
                    == 16);
    System.out.printf(
        "failover to first commit: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    await().until(() -> rest.stream().allMatch(p -> p.history("room").size() == 16));
  }
}
