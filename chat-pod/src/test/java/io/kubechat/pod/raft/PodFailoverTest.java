package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.HistoryChecker;
import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.ResilientChatClient;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Leader election, failover, graceful handover and member replacement with three chat pods, each a
 * real process (127.0.6.2-4), shared by the tests of this class. Raft heartbeats every 200 ms,
 * leader timeout 1 s; pod heartbeats 200 ms / 1 s (DEAD after 3 s); a DEAD member is removed 3 s
 * later; a snapshot every 10 entries. Before each test every pod runs and is a voter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodFailoverTest {
  static final int PORT = TestCluster.PORT;
  static final Duration LONG = Duration.ofSeconds(60);
  static TestCluster cluster;
  static Vertx vertx;
  final List<ResilientChatClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    cluster =
        TestCluster.start(
            "failover",
            List.of("127.0.6.2", "127.0.6.3", "127.0.6.4"),
            Map.of("KUBECHAT_RAFT_SNAPSHOT_EVERY", "10"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void everyPodRunningAndVoting() {
    cluster.pods().stream().filter(p -> !p.isAlive()).forEach(p -> cluster.restart(p.node()));
    cluster.awaitAllAlive();
    cluster.awaitAllVoters(LONG);
  }

  @AfterEach
  void stopClients() {
    clients.forEach(ResilientChatClient::stop);
  }

  ResilientChatClient client(String name, String group, int window, List<String> hosts) {
    ResilientChatClient c =
        new ResilientChatClient(
            vertx,
            hosts,
            PORT,
            name,
            name + "-" + UUID.randomUUID().toString().substring(0, 8),
            group,
            window,
            40);
    clients.add(c.start());
    return c;
  }

  static String group() {
    return "g-" + UUID.randomUUID().toString().substring(0, 8);
  }

  List<String> others(String node) {
    return cluster.pods().stream().filter(p -> !p.node().equals(node)).map(PodProcess::ip).toList();
  }

  @Test
  @Order(1)
  void aLeaderIsElectedAndAfterItsKillAnotherOneCommitsTheNextSeq() {
    String leader = cluster.awaitAgreedLeader(LONG);
    long term = cluster.status(leader).getLong("term");
    ResilientChatClient c = client("ada", group(), 1, others(leader));
    Awaitility.await().atMost(LONG).until(c::everJoined);
    c.sendMore(1);
    Awaitility.await("first ack").atMost(LONG).until(() -> c.idle(1));
    long firstSeq = c.acks().get(0).seq();

    long t0 = System.nanoTime();
    cluster.pod(leader).kill();
    c.sendMore(1);
    Awaitility.await("ack after the leader's kill")
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> c.idle(2));
    long toAckMs = (System.nanoTime() - t0) / 1_000_000;
    String newLeader = cluster.awaitAgreedLeader(LONG);
    long toAgreedMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "FAILOVER kill -9 of leader %s: next send acknowledged after %d ms, new leader %s"
            + " agreed by all after %d ms (client retries every 100 ms)%n",
        leader, toAckMs, newLeader, toAgreedMs);

    assertThat(newLeader).isNotEqualTo(leader);
    assertThat(cluster.status(newLeader).getLong("term")).isGreaterThan(term);
    assertThat(c.acks().get(1).seq()).isEqualTo(firstSeq + 1);
    assertThat(c.errors()).allMatch(e -> e.getBoolean("retryable"), "only retryable errors");
    assertThat(HistoryChecker.check(List.of(c.history()), c.acks())).isEmpty();
    assertThat(toAckMs).as("generous bound").isLessThan(20_000);
  }

  @Test
  @Order(2)
  void aGracefulStopOfTheLeaderHandsOverWithoutAFailedSend() {
    String leader = cluster.awaitAgreedLeader(LONG);
    String g = group();
    List<String> ips = cluster.pods().stream().map(PodProcess::ip).toList();
    for (int i = 0; i < 6; i++) {
      List<String> hosts = new ArrayList<>();
      for (int k = 0; k < ips.size(); k++) {
        hosts.add(ips.get((i + k) % ips.size())); // two clients start on each pod
      }
      client("user" + i, g, 4, hosts);
    }
    Awaitility.await("all joined")
        .atMost(LONG)
        .until(() -> clients.stream().allMatch(ResilientChatClient::everJoined));
    clients.forEach(c -> c.sendMore(40));
    Awaitility.await("some traffic")
        .atMost(LONG)
        .until(() -> clients.stream().allMatch(c -> c.acks().size() >= 5));

    PodProcess old = cluster.pod(leader);
    String oldIncarnation = cluster.status(leader).getString("incarnation");
    // Two clients start on each pod, but one that was moved earlier (e.g. a resync) may sit on the
    // leader too: exactly the ones on it when it stops must be told to go elsewhere.
    Map<ResilientChatClient, Long> movedBefore =
        clients.stream().collect(Collectors.toMap(c -> c, ResilientChatClient::shutdownCloses));
    List<ResilientChatClient> onOldLeader =
        clients.stream().filter(c -> old.ip().equals(c.sessionHost())).toList();
    long t0 = System.nanoTime();
    old.terminate();
    Awaitility.await("the old leader exits")
        .atMost(Duration.ofSeconds(20))
        .until(() -> !old.isAlive());
    long exitMs = (System.nanoTime() - t0) / 1_000_000;
    String newLeader = cluster.awaitAgreedLeader(LONG);
    for (PodProcess p : cluster.live()) {
      JsonObject row = Http.member(p.ip(), TestCluster.ADMIN_PORT, leader);
      assertThat(row.getString("state")).as("old leader on %s", p.node()).isEqualTo("LEFT");
      assertThat(cluster.raftMembers(p.node()))
          .as("consensus members on %s", p.node())
          .noneMatch(m -> m.equals(leader + "/" + oldIncarnation));
    }
    Awaitility.await("every message acknowledged")
        .atMost(LONG)
        .until(() -> clients.stream().allMatch(c -> c.idle(40)));
    long last =
        ResilientChatClient.allAcks(clients).stream()
            .mapToLong(HistoryChecker.Ack::seq)
            .max()
            .orElseThrow();
    Awaitility.await("everyone has everything")
        .atMost(LONG)
        .until(() -> clients.stream().allMatch(c -> c.lastSeq() >= last));

    List<JsonObject> errors = clients.stream().flatMap(c -> c.errors().stream()).toList();
    long unavailable =
        errors.stream().filter(e -> "UNAVAILABLE".equals(e.getString("code"))).count();
    List<ResilientChatClient> moved =
        clients.stream().filter(c -> c.shutdownCloses() > movedBefore.get(c)).toList();
    System.out.printf(
        "HANDOVER SIGTERM of leader %s: exited after %d ms, new leader %s; %d clients"
            + " moved (4001), %d UNAVAILABLE errors, %d errors in all: %s%n",
        leader, exitMs, newLeader, moved.size(), unavailable, errors.size(), errors);
    assertThat(newLeader).isNotEqualTo(leader);
    assertThat(onOldLeader).as("clients on the old leader when it stopped").isNotEmpty();
    assertThat(moved)
        .as("the clients of the old leader, and only they, were told to reconnect")
        .containsExactlyInAnyOrderElementsOf(onOldLeader);
    // No send fails for the user: on a quiet machine the handover takes a few hundred ms and no
    // client sees any error; under heavy load the followers may also time the silent leader out
    // and run an election round, and sends made meanwhile get UNAVAILABLE (retryable), which the
    // client resends with the same id. Nothing else is allowed, and every message is acknowledged.
    assertThat(errors)
        .as("only retryable UNAVAILABLE errors")
        .allMatch(e -> "UNAVAILABLE".equals(e.getString("code")) && e.getBoolean("retryable"));
    assertThat(
            HistoryChecker.check(
                clients.stream().map(ResilientChatClient::history).toList(),
                ResilientChatClient.allAcks(clients)))
        .isEmpty();
    assertThat(ResilientChatClient.allAcks(clients)).hasSizeGreaterThanOrEqualTo(240);
  }

  @Test
  @Order(3)
  void aReplacedPodJoinsAsANewMemberAndCatchesUpAndTheDeadIncarnationIsRemoved() {
    String leader = cluster.awaitAgreedLeader(LONG);
    String victim =
        cluster.pods().stream()
            .map(PodProcess::node)
            .filter(n -> !n.equals(leader))
            .findFirst()
            .orElseThrow();
    String oldIncarnation = cluster.status(victim).getString("incarnation");
    long t0 = System.nanoTime();
    cluster.pod(victim).kill();

    // history written while it is gone: more than the snapshot interval
    String g = group();
    ResilientChatClient writer = client("writer", g, 4, List.of(cluster.ip(leader)));
    Awaitility.await().atMost(LONG).until(writer::everJoined);
    writer.sendMore(30);
    Awaitility.await("30 messages acknowledged").atMost(LONG).until(() -> writer.idle(30));

    Awaitility.await("the dead incarnation leaves the consensus group")
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                !cluster.raftMembers(leader).contains(victim + "/" + oldIncarnation)
                    && !cluster.raftMembers(leader).isEmpty());
    long removedMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "REMOVAL kill -9 of %s to its removal from the consensus group: %d ms"
            + " (DEAD after 3 s, removal timeout 3 s)%n",
        victim, removedMs);
    assertThat(removedMs).as("not before DEAD + removal timeout").isGreaterThanOrEqualTo(5_000);

    long t1 = System.nanoTime();
    cluster.restart(victim);
    cluster.awaitAllAlive();
    String newIncarnation = cluster.status(victim).getString("incarnation");
    assertThat(newIncarnation).isNotEqualTo(oldIncarnation);
    cluster.awaitAllVoters(LONG);
    System.out.printf(
        "REPLACE %s: restart to voter in %d ms%n", victim, (System.nanoTime() - t1) / 1_000_000);
    JsonObject self = Http.member(cluster.ip(victim), TestCluster.ADMIN_PORT, victim);
    assertThat(self.getBoolean("voter")).isTrue();
    assertThat(cluster.raftMembers(leader))
        .contains(victim + "/" + newIncarnation)
        .doesNotContain(victim + "/" + oldIncarnation);

    // the new member serves the whole history of the group, in order
    try (WsTestClient reader =
        WsTestClient.hello(vertx, cluster.ip(victim), PORT, "reader", "reader-1")) {
      reader.send(new JsonObject().put("type", "join").put("group", g).put("since", 0));
      reader.await(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 30);
      List<JsonObject> messages =
          reader.frames().stream().filter(f -> "message".equals(f.getString("type"))).toList();
      assertThat(messages)
          .extracting(f -> f.getLong("seq"))
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
      assertThat(messages)
          .extracting(f -> f.getString("id"))
          .containsExactlyElementsOf(
              writer.history().delivered().stream().map(HistoryChecker.Delivered::id).toList());
    }
  }
}
