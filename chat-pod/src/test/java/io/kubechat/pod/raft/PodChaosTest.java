package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.HistoryChecker;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.ResilientChatClient;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checker: six clients, two starting on each of three pods (real processes, 127.0.6.10-12),
 * send concurrently into one group while pods are killed with kill -9 and restarted under the same
 * name (first the leader, then the follower most clients are on). The clients do what a real client
 * does: reconnect to another pod, re-join with since/epoch, resend what was not acknowledged with
 * the same id. Afterwards every acknowledged message is at every client exactly once, at the same
 * seq, in the same order, with no gaps ({@link HistoryChecker}); and every pod names the same
 * members.
 */
class PodChaosTest {
  static final int PORT = TestCluster.PORT;
  static final Duration LONG = Duration.ofSeconds(90);
  static TestCluster cluster;
  static Vertx vertx;
  static final List<ResilientChatClient> CLIENTS = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster =
        TestCluster.start(
            "chaos",
            List.of("127.0.6.10", "127.0.6.11", "127.0.6.12"),
            Map.of("KUBECHAT_RAFT_SNAPSHOT_EVERY", "50"));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    CLIENTS.forEach(ResilientChatClient::stop);
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static long acked() {
    return CLIENTS.stream().mapToLong(c -> c.acks().size()).sum();
  }

  /** Kills {@code node} with kill -9 once the clients made progress, and starts it again. */
  static void killAndRestart(String node, String what) {
    long before = acked();
    Awaitility.await("progress before killing " + node)
        .atMost(LONG)
        .until(() -> acked() >= before + 30);
    long t0 = System.nanoTime();
    cluster.pod(node).kill();
    long ackedAtKill = acked();
    Awaitility.await("commits go on after the kill of " + node)
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> acked() > ackedAtKill + 6);
    long resumedMs = (System.nanoTime() - t0) / 1_000_000;
    cluster.restart(node);
    cluster.awaitAllAlive();
    String leader = cluster.awaitAllVoters(LONG);
    System.out.printf(
        "CHAOS kill -9 of %s (%s): commits resumed within %d ms; restarted, a voter again"
            + " after %d ms; leader now %s%n",
        node, what, resumedMs, (System.nanoTime() - t0) / 1_000_000, leader);
  }

  @Test
  void everyAcknowledgedMessageIsEverywhereOnceInOrderWhilePodsAreKilledAndRestarted() {
    String group = "chaos-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> ips = cluster.pods().stream().map(PodProcess::ip).toList();
    for (int i = 0; i < 6; i++) {
      List<String> hosts = new ArrayList<>();
      for (int k = 0; k < ips.size(); k++) {
        hosts.add(ips.get((i + k) % ips.size()));
      }
      String user = "u" + i;
      CLIENTS.add(
          new ResilientChatClient(
                  vertx, hosts, PORT, user, user + "-" + UUID.randomUUID(), group, 4, 60)
              .start());
    }
    Awaitility.await("all joined")
        .atMost(LONG)
        .until(() -> CLIENTS.stream().allMatch(ResilientChatClient::everJoined));
    CLIENTS.forEach(c -> c.sendMore(Integer.MAX_VALUE)); // until told to finish

    String leader = cluster.awaitAgreedLeader(LONG);
    killAndRestart(leader, "the leader");
    String newLeader = cluster.awaitAgreedLeader(LONG);
    String follower =
        cluster.pods().stream()
            .filter(p -> !p.node().equals(newLeader))
            .max(
                Comparator.comparingLong(
                    p -> CLIENTS.stream().filter(c -> p.ip().equals(c.currentHost())).count()))
            .orElseThrow()
            .node();
    killAndRestart(follower, "a follower with clients");

    CLIENTS.forEach(ResilientChatClient::finishSending);
    Awaitility.await("every message acknowledged")
        .atMost(LONG)
        .until(() -> CLIENTS.stream().allMatch(ResilientChatClient::drained));
    long sent = CLIENTS.stream().mapToLong(ResilientChatClient::sent).sum();
    List<HistoryChecker.Ack> acks = ResilientChatClient.allAcks(CLIENTS);
    long last = acks.stream().mapToLong(HistoryChecker.Ack::seq).max().orElseThrow();
    Awaitility.await("every client has everything")
        .atMost(LONG)
        .until(() -> CLIENTS.stream().allMatch(c -> c.lastSeq() >= last));

    List<JsonObject> errors = CLIENTS.stream().flatMap(c -> c.errors().stream()).toList();
    long reconnects = CLIENTS.stream().mapToLong(c -> c.closeCodes().size()).sum();
    System.out.printf(
        "CHAOS %d acks (%d distinct messages, last seq %d), %d reconnects, errors by code: %s%n",
        acks.size(),
        acks.stream().map(a -> a.clientId() + "/" + a.id()).distinct().count(),
        last,
        reconnects,
        CLIENTS.stream()
            .flatMap(c -> c.errorCounts().entrySet().stream())
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey, Collectors.summingInt(Map.Entry::getValue))));

    assertThat(
            HistoryChecker.check(CLIENTS.stream().map(ResilientChatClient::history).toList(), acks))
        .isEmpty();
    assertThat(acks.stream().map(a -> a.clientId() + "/" + a.id()).distinct().count())
        .isEqualTo(sent);
    assertThat(last).as("one seq per message, none twice").isEqualTo(sent);
    assertThat(errors).as("only retryable errors").allMatch(e -> e.getBoolean("retryable"));
    assertThat(CLIENTS.stream().flatMap(c -> c.notices().stream()).toList())
        .as("no gap, no reset")
        .isEmpty();
    assertThat(reconnects).as("clients of the killed pods reconnected").isPositive();

    // presence went through the log as well: every pod names the same members, the six clients
    List<String> expected = new ArrayList<>(List.of("probe", "u0", "u1", "u2", "u3", "u4", "u5"));
    Awaitility.await("every pod agrees on the members")
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ips.stream().allMatch(ip -> expected.equals(membersSeenOn(ip, group))));
  }

  /** The members a new client joining {@code group} through {@code ip} is told. */
  static List<String> membersSeenOn(String ip, String group) {
    try (WsTestClient probe =
        WsTestClient.hello(vertx, ip, PORT, "probe", "probe-" + UUID.randomUUID())) {
      return probe.join(group).getJsonArray("members").stream().map(String.class::cast).toList();
    }
  }
}
