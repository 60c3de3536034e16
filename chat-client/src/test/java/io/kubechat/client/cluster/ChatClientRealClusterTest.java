package io.kubechat.client.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.ConnectionState;
import io.kubechat.client.Recorder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against a real 3-pod cluster (chat-pod jar, each pod its own process on
 * 127.0.4.10-12): alice sends while the pod she is connected to is killed with kill -9; bob and
 * carol sit on the other pods. The scenario runs once; each test checks one property of it. The
 * exactly-once/in-order check needs ordered, deduplicating pods (acks carrying a seq, issue 3) and
 * is skipped, not weakened, against pods without it.
 */
class ChatClientRealClusterTest {
  private static final List<String> IPS = List.of("127.0.4.10", "127.0.4.11", "127.0.4.12");
  private static final int MESSAGES = 40;
  private static final String GROUP = "failover";

  private static PodCluster cluster;
  private static final List<ChatClient> clients = new ArrayList<>();
  private static final Recorder alice = new Recorder();
  private static final Recorder bob = new Recorder();
  private static final Recorder carol = new Recorder();
  private static ChatClient aliceClient;
  private static final List<String> sentTexts = new ArrayList<>();
  private static final List<CompletableFuture<Ack>> acks = new ArrayList<>();
  private static final List<String> warmups = new ArrayList<>();
  private static boolean ordered;
  private static String noServer;

  @BeforeAll
  static void runTheScenario() throws Exception {
    String jar = System.getProperty("kubechat.podJar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      noServer = "no chat-pod jar at " + jar;
      return;
    }
    cluster = new PodCluster(Path.of(jar), IPS, Path.of("target", "pod-logs"));
    cluster.startAll();
    try {
      cluster.awaitReady(Duration.ofSeconds(90));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "pods not ready within 90 s; logs in target/pod-logs/" + cluster.clusterName(), e);
    } catch (PodCluster.NotAServerException e) {
      // Skipped per test (visible in the reports), not failed: the server is not there yet.
      noServer =
          "the chat-pod jar is not a chat server yet (issue 2 not merged): " + e.getMessage();
      return;
    }

    aliceClient = client("alice", alice, cluster.wsUri(0), cluster.wsUri(1), cluster.wsUri(2));
    ChatClient bobClient = client("bob", bob, cluster.wsUri(1));
    ChatClient carolClient = client("carol", carol, cluster.wsUri(2));
    for (ChatClient client : List.of(aliceClient, bobClient, carolClient)) {
      client.join(GROUP).get(30, TimeUnit.SECONDS);
    }
    assertThat(aliceClient.server().node()).isEqualTo(cluster.nodeName(0));

    // Until every pod routes the group to bob and carol: joins travel through the cluster.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              String text = "warmup-" + warmups.size();
              warmups.add(text);
              Ack ack = aliceClient.send(GROUP, text).get(10, TimeUnit.SECONDS);
              ordered = ack.seq() > 0;
              return bob.texts().stream().anyMatch(t -> t.startsWith("warmup"))
                  && carol.texts().stream().anyMatch(t -> t.startsWith("warmup"));
            });

    // Half the messages, some acknowledged, then kill -9 alice's pod while she keeps sending.
    for (int i = 1; i <= MESSAGES / 2; i++) {
      send("m" + i);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> acks.stream().filter(CompletableFuture::isDone).count() >= 5);
    cluster.kill(0);
    for (int i = MESSAGES / 2 + 1; i <= MESSAGES; i++) {
      send("m" + i);
    }
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "not every send acknowledged within 90 s: acked "
              + acks.stream().filter(a -> a.isDone() && !a.isCompletedExceptionally()).count()
              + " of "
              + acks.size()
              + "; alice's states "
              + alice.states.stream().map(c -> c.current() + "(" + c.reason() + ")").toList()
              + "; her joins "
              + alice.presence.stream().filter(p -> p.self()).toList()
              + "; pod logs in target/pod-logs/"
              + cluster.clusterName(),
          e);
    }
  }

  private static void send(String text) {
    sentTexts.add(text);
    acks.add(aliceClient.send(GROUP, text));
  }

  private static ChatClient client(String user, Recorder recorder, URI... endpoints)
      throws InterruptedException {
    ChatClient client =
        ChatClient.builder()
            .endpoints(List.of(endpoints))
            .user(user)
            // Generous pong timeout: the machine is shared; a killed pod's sockets reset at once.
            .pingInterval(Duration.ofSeconds(1))
            .pongTimeout(Duration.ofSeconds(5))
            .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
            .listener(recorder)
            .connect();
    clients.add(client);
    assertThat(client.awaitConnected(Duration.ofSeconds(30))).as(user + " connected").isTrue();
    return client;
  }

  @AfterAll
  static void stopEverything() {
    clients.forEach(ChatClient::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSenderReconnectsToAnotherPodAndItsOutboxDrains() throws Exception {
    assumeTrue(noServer == null, noServer);
    assertThat(acks).allMatch(ack -> ack.isDone() && !ack.isCompletedExceptionally());
    assertThat(aliceClient.outboxSize().get(5, TimeUnit.SECONDS)).isZero();
    assertThat(aliceClient.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(aliceClient.server().node()).isNotEqualTo(cluster.nodeName(0));
    assertThat(alice.states).anyMatch(s -> s.current() == ConnectionState.RECONNECTING);
  }

  @Test
  void everyMessageReachesEveryOtherClient() {
    assumeTrue(noServer == null, noServer);
    for (Recorder receiver : List.of(bob, carol)) {
      awaitEverything(receiver);
    }
  }

  /** Waits for every scenario message; on failure says what is missing and what came. */
  private static void awaitEverything(Recorder receiver) {
    String who = receiver == alice ? "alice" : receiver == bob ? "bob" : "carol";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> missing =
                  sentTexts.stream().filter(t -> !receiver.texts().contains(t)).toList();
              assertThat(missing)
                  .as(
                      () ->
                          who
                              + " is missing "
                              + missing
                              + "; received (seq:text) "
                              + receiver.messages.stream()
                                  .map(m -> m.seq() + ":" + m.text())
                                  .toList()
                              + "; gaps "
                              + receiver.gaps
                              + "; resets "
                              + receiver.resets
                              + "; states "
                              + receiver.states.stream()
                                  .map(c -> c.current() + "(" + c.reason() + ")")
                                  .toList()
                              + "; errors "
                              + receiver.errors
                              + "; acks "
                              + acks.stream()
                                  .map(
                                      a ->
                                          a.isDone() && !a.isCompletedExceptionally()
                                              ? a.join().seq()
                                              : -1L)
                                  .toList())
                  .isEmpty();
            });
  }

  @Test
  void everyMessageArrivesExactlyOnceAndInOrderEverywhere() throws Exception {
    assumeTrue(noServer == null, noServer);
    assumeTrue(
        ordered,
        "the pods do not order messages yet (ack without seq): exactly-once"
            + " and order need chat pods part 2 (issue 3)");
    List<Long> ackSeqs = new ArrayList<>();
    for (CompletableFuture<Ack> ack : acks) {
      ackSeqs.add(ack.get().seq());
    }
    assertThat(ackSeqs).as("acks in send order").isSorted().doesNotHaveDuplicates();
    for (Recorder receiver : List.of(alice, bob, carol)) {
      awaitEverything(receiver);
      List<ChatMessage> scenario =
          receiver.messages.stream().filter(m -> sentTexts.contains(m.text())).toList();
      assertThat(scenario)
          .extracting(ChatMessage::text)
          .as("exactly once, in send order")
          .containsExactlyElementsOf(sentTexts);
      Map<String, Long> seqByText =
          scenario.stream().collect(Collectors.toMap(ChatMessage::text, ChatMessage::seq));
      assertThat(sentTexts.stream().map(seqByText::get).toList()).isEqualTo(ackSeqs);
      List<Long> all = receiver.messages.stream().map(ChatMessage::seq).toList();
      assertThat(all).as("no seq twice, no hole").doesNotHaveDuplicates();
      for (int i = 1; i < all.size(); i++) {
        assertThat(all.get(i)).isEqualTo(all.get(i - 1) + 1);
      }
      assertThat(receiver.gaps).isEmpty();
      assertThat(receiver.resets).isEmpty();
    }
  }
}
