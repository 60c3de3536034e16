package io.kubechat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubechat.client.fake.FakeChatServer;
import io.kubechat.client.fake.FakeCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against protocol-faithful test servers (docs/protocol.md) that misbehave the ways real
 * pods do: sockets closed mid-session, garbage frames, slow acks, silent heartbeats, lost acks,
 * retryable refusals, replays of what the client already has, lost history.
 */
class ChatClientMisbehavingServerTest {
  private static final String GROUP = "room";
  private static Vertx serverVertx;

  private FakeCluster cluster;
  private FakeChatServer s1;
  private FakeChatServer s2;
  private final List<ChatClient> clients = new ArrayList<>();

  @BeforeAll
  static void startVertx() {
    serverVertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void startServers() throws Exception {
    cluster = new FakeCluster();
    s1 = new FakeChatServer(serverVertx, cluster, "127.0.4.2", "s1").start();
    s2 = new FakeChatServer(serverVertx, cluster, "127.0.4.3", "s2").start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(ChatClient::close);
    s1.stop();
    s2.stop();
  }

  private ChatClient client(String user, Recorder recorder, URI... endpoints) {
    return client(user, recorder, 1000, endpoints);
  }

  private ChatClient client(String user, Recorder recorder, int outbox, URI... endpoints) {
    ChatClient client =
        ChatClient.builder()
            .endpoints(List.of(endpoints))
            .user(user)
            .pingInterval(Duration.ofMillis(200))
            .pongTimeout(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofSeconds(2))
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .outboxCapacity(outbox)
            .listener(recorder)
            .connect();
    clients.add(client);
    return client;
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private List<String> sentIds() {
    return cluster.received("send").stream()
        .map(r -> r.frame().getString("id"))
        .distinct()
        .toList();
  }

  @Test
  void chatsAcrossTwoServersInOrderWithPresence() throws Exception {
    Recorder alice = new Recorder();
    Recorder bob = new Recorder();
    ChatClient a = client("alice", alice, s1.uri());
    ChatClient b = client("bob", bob, s2.uri());
    get(a.join(GROUP));
    Presence joined = get(b.join(GROUP));
    assertThat(joined.members()).containsExactly("alice", "bob");
    assertThat(joined.self()).isTrue();
    await()
        .until(
            () ->
                alice.presence.stream()
                    .anyMatch(
                        p ->
                            p.kind() == Presence.Kind.JOINED
                                && "bob".equals(p.user())
                                && !p.self()));

    List<CompletableFuture<Ack>> acks = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      acks.add(a.send(GROUP, "m" + i));
    }
    List<Long> seqs = new ArrayList<>();
    for (CompletableFuture<Ack> ack : acks) {
      seqs.add(get(ack).seq());
    }
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    await().until(() -> bob.messages.size() == 5);
    assertThat(bob.texts()).containsExactly("m1", "m2", "m3", "m4", "m5");
    assertThat(bob.messages).allSatisfy(m -> assertThat(m.from()).isEqualTo("alice"));
    await().until(() -> alice.messages.size() == 5);

    get(b.leave(GROUP));
    await()
        .until(
            () ->
                alice.presence.stream()
                    .anyMatch(
                        p ->
                            p.kind() == Presence.Kind.LEFT
                                && "bob".equals(p.user())
                                && "leave".equals(p.reason())));
    assertThatThrownBy(() -> get(b.send(GROUP, "after leave")))
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterTheSocketClosesItReconnectsRejoinsWithSinceAndEpochAndResendsTheSameIds()
      throws Exception {
    Recorder alice = new Recorder();
    Recorder bob = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    ChatClient b = client("bob", bob, s2.uri());
    get(a.join(GROUP));
    get(b.join(GROUP));
    assertThat(get(a.send(GROUP, "before")).seq()).isEqualTo(1);

    // The pod orders a, b, c but dies before acking them.
    s1.loseAcks(true);
    List<CompletableFuture<Ack>> pending =
        List.of(a.send(GROUP, "a"), a.send(GROUP, "b"), a.send(GROUP, "c"));
    await().until(() -> bob.messages.size() == 4 && alice.messages.size() == 4);
    assertThat(pending).noneMatch(CompletableFuture::isDone);
    List<String> ids = sentIds().subList(1, 4);
    int framesBefore = cluster.received().size();

    s1.stop();
    CompletableFuture<Ack> whileDown = a.send(GROUP, "d");

    List<Long> seqs = new ArrayList<>();
    for (CompletableFuture<Ack> ack : pending) {
      seqs.add(get(ack).seq());
    }
    assertThat(seqs).containsExactly(2L, 3L, 4L);
    assertThat(get(whileDown).seq()).isEqualTo(5);
    assertThat(a.server().node()).isEqualTo("s2");

    List<JsonObject> after =
        cluster.received().subList(framesBefore, cluster.received().size()).stream()
            .filter(r -> r.node().equals("s2"))
            .map(FakeCluster.Received::frame)
            .filter(f -> !"ping".equals(f.getString("type")))
            .toList();
    assertThat(after.get(0))
        .isEqualTo(
            new JsonObject()
                .put("type", "hello")
                .put("user", "alice")
                .put("clientId", a.clientId()));
    assertThat(after.get(1).getString("type")).isEqualTo("join");
    assertThat(after.get(1).getLong("since")).isEqualTo(4L);
    assertThat(after.get(1).getString("epoch"))
        .isEqualTo(alice.messages.get(0).epoch())
        .isNotNull();
    assertThat(
            after.stream()
                .filter(f -> "send".equals(f.getString("type")))
                .map(f -> f.getString("id"))
                .toList()
                .subList(0, 3))
        .isEqualTo(ids);
    for (String id : ids) {
      assertThat(cluster.sendsOf(id)).as("one send per connection of " + id).isEqualTo(2);
    }

    await().until(() -> bob.messages.size() == 5);
    assertThat(bob.texts()).containsExactly("before", "a", "b", "c", "d");
    await().until(() -> alice.messages.size() == 5);
    assertThat(alice.texts()).containsExactly("before", "a", "b", "c", "d");
    assertThat(get(a.outboxSize())).isZero();
    assertThat(alice.states)
        .anySatisfy(s -> assertThat(s.current()).isEqualTo(ConnectionState.RECONNECTING));
  }

  @Test
  void neverDeliversAMessageTwiceWhenTheServerReplaysOnesTheClientHas() throws Exception {
    s2.replayOverlap(3);
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    ChatClient b = client("bob", new Recorder(), s2.uri());
    get(a.join(GROUP));
    get(b.join(GROUP));
    for (int i = 1; i <= 5; i++) {
      get(b.send(GROUP, "m" + i));
    }
    await().until(() -> alice.messages.size() == 5);

    s1.closeConnections((short) 4001, "shutting down");
    await()
        .until(
            () ->
                a.state() == ConnectionState.CONNECTED
                    && a.server() != null
                    && "s2".equals(a.server().node()));
    StateChange lost =
        alice.states.stream()
            .filter(s -> s.current() == ConnectionState.RECONNECTING)
            .findFirst()
            .orElseThrow();
    assertThat(lost.reason()).contains("4001");
    assertThat(lost.retryIn()).isEqualTo(Duration.ZERO);

    get(b.send(GROUP, "m6"));
    await().until(() -> alice.messages.size() >= 6);
    assertThat(alice.messages)
        .extracting(ChatMessage::seq)
        .containsExactly(LongStream.rangeClosed(1, 6).boxed().toArray(Long[]::new));
  }

  @Test
  void tellsTheApplicationAboutAGapAndAResetItCouldNotFill() throws Exception {
    cluster.historyLimit(2);
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri());
    ChatClient b = client("bob", new Recorder(), s2.uri());
    get(a.join(GROUP));
    get(b.join(GROUP));
    get(b.send(GROUP, "m1"));
    await().until(() -> alice.messages.size() == 1);

    s1.stop();
    await().until(() -> a.state() == ConnectionState.RECONNECTING);
    for (int i = 2; i <= 6; i++) {
      get(b.send(GROUP, "m" + i));
    }
    s1.restart();
    await().until(() -> alice.messages.size() == 3);
    assertThat(alice.gaps).containsExactly(new Gap(GROUP, 2, 4));
    assertThat(alice.texts()).containsExactly("m1", "m5", "m6");

    s1.stop();
    await().until(() -> a.state() == ConnectionState.RECONNECTING);
    cluster.resetGroup(GROUP);
    Ack fresh = get(b.send(GROUP, "n1"));
    assertThat(fresh.seq()).isEqualTo(1);
    s1.restart();
    await().until(() -> alice.messages.size() == 4);
    assertThat(alice.resets).containsExactly(new Reset(GROUP, fresh.epoch()));
    assertThat(alice.messages.get(3))
        .satisfies(
            m -> {
              assertThat(m.text()).isEqualTo("n1");
              assertThat(m.seq()).isEqualTo(1);
              assertThat(m.epoch()).isEqualTo(fresh.epoch());
            });
  }

  @Test
  void reportsGarbageFramesAndStaysConnected() throws Exception {
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    get(a.join(GROUP));
    s1.sendRawText("this is not json {");
    s1.sendRawText("{\"type\":\"surprise\"}");
    s1.sendRawText("{\"type\":\"message\",\"group\":42}");
    s1.sendBinary();
    await().until(() -> alice.errors.size() == 4);
    assertThat(alice.errors)
        .extracting(ChatError::code)
        .containsExactly("BAD_FRAME", "UNKNOWN_FRAME", "BAD_FRAME", "BAD_FRAME");
    assertThat(alice.errors).allMatch(ChatError::local);

    assertThat(get(a.send(GROUP, "still here")).seq()).isEqualTo(1);
    assertThat(a.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(alice.connects()).isEqualTo(1);
    assertThat(s1.connectionCount()).isEqualTo(1);
  }

  @Test
  void aSlowServerCompletesFuturesLateWithoutDuplicateSends() throws Exception {
    s1.ackDelay(1500);
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    get(a.join(GROUP));
    List<CompletableFuture<Ack>> acks = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      acks.add(a.send(GROUP, "slow" + i));
    }
    await().until(() -> cluster.received("send").size() == 5);
    assertThat(acks).noneMatch(CompletableFuture::isDone);

    List<Long> seqs = new ArrayList<>();
    for (CompletableFuture<Ack> ack : acks) {
      seqs.add(get(ack).seq());
    }
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(sentIds()).hasSize(5).allSatisfy(id -> assertThat(cluster.sendsOf(id)).isEqualTo(1));
    assertThat(alice.connects()).isEqualTo(1);
    assertThat(cluster.received("ping")).isNotEmpty();
  }

  @Test
  void reconnectsWhenPongsStop() throws Exception {
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    get(a.join(GROUP));
    assertThat(a.server().node()).isEqualTo("s1");
    s1.answerPings(false);

    await().until(() -> "s2".equals(a.server() == null ? null : a.server().node()));
    assertThat(alice.states)
        .anySatisfy(
            s -> {
              assertThat(s.current()).isEqualTo(ConnectionState.RECONNECTING);
              assertThat(s.reason()).contains("no pong");
            });
    await().until(() -> cluster.received("join").stream().anyMatch(r -> r.node().equals("s2")));
    assertThat(get(a.send(GROUP, "after")).seq()).isEqualTo(1);
  }

  @Test
  void retriesARetryableRefusalWithTheSameIdAndFailsOnAFinalOne() throws Exception {
    s1.refuseSendsAsUnavailable(2);
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri());
    get(a.join(GROUP));
    Ack ack = get(a.send(GROUP, "eventually"));
    assertThat(ack.seq()).isEqualTo(1);
    assertThat(cluster.sendsOf(ack.id())).isEqualTo(3);
    assertThat(alice.connects()).isEqualTo(1);

    assertThatThrownBy(() -> get(a.send(GROUP, "x".repeat(9000))))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ChatServerException.class, e -> assertThat(e.code()).isEqualTo("TOO_LARGE"));
    assertThat(get(a.outboxSize())).isZero();
  }

  @Test
  void refusedMessagesAreResentTogetherInTheirOriginalOrder() throws Exception {
    s1.refuseSendsAsUnavailable(2);
    ChatClient a = client("alice", new Recorder(), s1.uri());
    get(a.join(GROUP));
    List<CompletableFuture<Ack>> acks = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      acks.add(a.send(GROUP, "m" + i));
    }
    List<Ack> done = new ArrayList<>();
    for (CompletableFuture<Ack> ack : acks) {
      done.add(get(ack));
    }
    // m1 was refused twice, and whatever came behind it with it; all were resent, oldest first
    assertThat(done).extracting(Ack::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(cluster.sendsOf(done.get(0).id())).isEqualTo(3);
  }

  @Test
  void keepsAtMostAWindowOfUnansweredMessagesOnTheWire() throws Exception {
    s1.loseAcks(true);
    ChatClient a = client("alice", new Recorder(), s1.uri());
    get(a.join(GROUP));
    for (int i = 1; i <= ClientCore.SEND_WINDOW + 8; i++) {
      a.send(GROUP, "m" + i);
    }
    get(a.join("after-the-sends")); // answered after the server read every frame before it
    assertThat(cluster.received("send"))
        .extracting(r -> r.frame().getString("text"))
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, ClientCore.SEND_WINDOW).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void refusesSendsWhenTheOutboxIsFull() throws Exception {
    s1.loseAcks(true);
    ChatClient a = client("alice", new Recorder(), 2, s1.uri());
    get(a.join(GROUP));
    CompletableFuture<Ack> one = a.send(GROUP, "1");
    CompletableFuture<Ack> two = a.send(GROUP, "2");
    assertThatThrownBy(() -> get(a.send(GROUP, "3")))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(OutboxFullException.class)
        .hasMessageContaining("outbox full");
    assertThat(one).isNotDone();
    assertThat(two).isNotDone();
  }

  @Test
  void givesUpOnAProtocolViolationClose() throws Exception {
    s1.loseAcks(true);
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    get(a.join(GROUP));
    CompletableFuture<Ack> pending = a.send(GROUP, "lost");
    await().until(() -> cluster.received("send").size() == 1);

    s1.closeConnections((short) 4500, "protocol violation");
    await().until(() -> a.state() == ConnectionState.FAILED);
    await().until(() -> alice.states.stream().anyMatch(c -> c.current() == ConnectionState.FAILED));
    assertThat(alice.states.get(alice.states.size() - 1).reason()).contains("4500");
    assertThatThrownBy(() -> get(pending)).cause().isInstanceOf(ChatClientClosedException.class);
    assertThat(s2.connectionCount()).isZero();
    assertThatThrownBy(() -> get(a.send(GROUP, "after")))
        .cause()
        .isInstanceOf(ChatClientClosedException.class);
  }

  @Test
  void retriesARefusedJoinAndFailsOnAFinalRefusal() throws Exception {
    s1.refuseJoinsAsUnavailable(2).maxGroups(1);
    ChatClient a = client("alice", new Recorder(), s1.uri());
    assertThat(get(a.join(GROUP)).members()).containsExactly("alice");
    assertThat(cluster.received("join")).hasSize(3);

    assertThatThrownBy(() -> get(a.join("second")))
        .cause()
        .isInstanceOfSatisfying(
            ChatServerException.class, e -> assertThat(e.code()).isEqualTo("TOO_MANY_GROUPS"));
    assertThatThrownBy(() -> get(a.send("second", "nowhere")))
        .cause()
        .isInstanceOf(IllegalStateException.class);
    assertThat(get(a.send(GROUP, "still fine")).seq()).isEqualTo(1);
  }

  @Test
  void aRefusalAnsweredBeforeEarlierJoinsFailsTheJoinItAnswers() throws Exception {
    // The server answers joins once they are in the log but refuses the one over the limit at
    // once: the refusal comes before the answers of the joins sent before it.
    s1.joinDelay(300).maxGroups(2);
    ChatClient a = client("alice", new Recorder(), s1.uri());
    assertThat(a.awaitConnected(Duration.ofSeconds(10))).isTrue();
    CompletableFuture<Presence> first = a.join("first");
    CompletableFuture<Presence> second = a.join("second");
    CompletableFuture<Presence> third = a.join("third");

    assertThat(get(first).group()).isEqualTo("first");
    assertThat(get(second).group()).isEqualTo("second");
    assertThatThrownBy(() -> get(third))
        .cause()
        .isInstanceOfSatisfying(
            ChatServerException.class, e -> assertThat(e.code()).isEqualTo("TOO_MANY_GROUPS"));
    assertThat(get(a.send("first", "still joined")).seq()).isEqualTo(1);
  }

  @Test
  void aJoinDroppedOverTheRateLimitIsSentAgain() throws Exception {
    s1.dropJoinsAsRateLimited(1);
    ChatClient a =
        ChatClient.builder()
            .endpoints(List.of(s1.uri()))
            .user("alice")
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .answerTimeout(Duration.ofMillis(500))
            .connect();
    clients.add(a);
    assertThat(get(a.join(GROUP)).members()).containsExactly("alice");
    assertThat(cluster.received("join")).hasSize(2);
  }

  @Test
  void aRefusedLeaveCompletesTheLeaveItAnswers() throws Exception {
    // "a" is left slowly; "b" was never joined on the server (its join was dropped), so its leave
    // is refused at once, before the answer to the leave of "a".
    s1.leaveDelay(300);
    ChatClient c = client("alice", new Recorder(), s1.uri());
    get(c.join("a"));
    s1.dropJoinsAsRateLimited(1);
    c.join("b");
    await().until(() -> cluster.received("join").size() == 2);

    CompletableFuture<Void> leaveA = c.leave("a");
    CompletableFuture<Void> leaveB = c.leave("b");
    await().until(() -> cluster.received("leave").size() == 2);
    get(leaveB);
    get(leaveA);
  }

  @Test
  void reconnectsAtOnceAndReplaysWhatWasMissedOnResync() throws Exception {
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri());
    ChatClient b = client("bob", new Recorder(), s1.uri());
    get(a.join(GROUP, 0L));
    get(b.join(GROUP));
    get(b.send(GROUP, "one"));
    await().until(() -> alice.messages.size() == 1);
    int joinsBefore = cluster.received("join").size();

    s1.closeConnections((short) 4005, "RESYNC");
    await().until(() -> alice.connects() == 2);
    StateChange lost =
        alice.states.stream()
            .filter(s -> s.current() == ConnectionState.RECONNECTING)
            .findFirst()
            .orElseThrow();
    assertThat(lost.reason()).startsWith("4005 RESYNC");
    assertThat(lost.retryIn()).isEqualTo(Duration.ZERO);
    await().until(() -> cluster.received("join").size() >= joinsBefore + 2);
    assertThat(cluster.received("join").subList(joinsBefore, joinsBefore + 2))
        .allSatisfy(r -> assertThat(r.frame().getLong("since")).isEqualTo(1L));
    get(b.send(GROUP, "two"));
    await().until(() -> alice.messages.size() == 2);
    assertThat(alice.texts()).containsExactly("one", "two");
  }

  @Test
  void movesToTheNextPodAtOnceWhenAPodThatCannotCommitAsksTo() throws Exception {
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    get(a.join(GROUP));
    assertThat(a.server().node()).isEqualTo("s1");

    s1.closeConnections((short) 4007, "MOVE");
    await().until(() -> alice.connects() == 2);
    StateChange lost =
        alice.states.stream()
            .filter(s -> s.current() == ConnectionState.RECONNECTING)
            .findFirst()
            .orElseThrow();
    assertThat(lost.reason()).startsWith("4007 MOVE");
    assertThat(lost.retryIn()).isEqualTo(Duration.ZERO);
    await().until(() -> a.server() != null && "s2".equals(a.server().node()));
  }

  @Test
  void saysWhenTheHistoryAfterAJoinIsDelivered() throws Exception {
    cluster.historyLimit(2);
    ChatClient writer = client("bob", new Recorder(), s1.uri());
    get(writer.join(GROUP));
    for (int i = 1; i <= 5; i++) {
      get(writer.send(GROUP, "m" + i));
    }
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri());
    get(a.join(GROUP, 0L)); // 1..3 are gone (gap), 4 and 5 are replayed
    get(a.join("quiet", 0L)); // nothing to replay
    await().until(() -> alice.caughtUp.size() == 2);
    assertThat(alice.caughtUp)
        .containsExactly(GROUP + "@5 after 2 messages", "quiet@0 after 2 messages");
    assertThat(alice.gaps).hasSize(1);
  }

  @Test
  void givesUpWhenTheServerRefusesTheHello() throws Exception {
    s1.refuseHelloWith("INVALID_NAME");
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri(), s2.uri());
    CompletableFuture<Presence> join = a.join(GROUP);
    assertThat(a.awaitConnected(Duration.ofSeconds(10))).isFalse();
    assertThat(a.state()).isEqualTo(ConnectionState.FAILED);
    await().until(() -> alice.states.stream().anyMatch(c -> c.current() == ConnectionState.FAILED));
    assertThat(alice.states.get(alice.states.size() - 1).reason()).contains("INVALID_NAME");
    assertThatThrownBy(() -> get(join)).cause().isInstanceOf(ChatClientClosedException.class);
    assertThat(s2.connectionCount()).isZero();
  }

  @Test
  void canBeClosedFromItsOwnListener() throws Exception {
    Recorder alice = new Recorder();
    ChatClient a = client("alice", alice, s1.uri());
    assertThat(a.awaitConnected(Duration.ofSeconds(10))).isTrue();
    a.addListener(
        new ChatListener() {
          @Override
          public void onMessage(ChatMessage message) {
            a.close();
          }
        });
    get(a.join(GROUP));
    a.send(GROUP, "bye");
    await().until(() -> a.state() == ConnectionState.CLOSED);
    await().until(() -> s1.openSockets() == 0);
    assertThatThrownBy(() -> get(a.send(GROUP, "after close")))
        .cause()
        .isInstanceOf(ChatClientClosedException.class);
    a.close();
  }

  @Test
  void isSafeToUseFromManyThreadsAtOnce() throws Exception {
    Recorder bob = new Recorder();
    ChatClient a = client("alice", new Recorder(), s1.uri());
    ChatClient b = client("bob", bob, s2.uri());
    get(a.join(GROUP));
    get(b.join(GROUP));
    int threads = 4;
    int perThread = 50;
    List<CompletableFuture<List<Ack>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(
          CompletableFuture.supplyAsync(
              () -> {
                List<CompletableFuture<Ack>> acks = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                  acks.add(a.send(GROUP, "t" + thread + "-" + i));
                }
                return acks.stream().map(CompletableFuture::join).toList();
              }));
    }
    List<Long> allSeqs = new ArrayList<>();
    for (CompletableFuture<List<Ack>> result : results) {
      List<Long> seqs = get(result).stream().map(Ack::seq).toList();
      assertThat(seqs).as("one thread's sends keep their order").isSorted();
      allSeqs.addAll(seqs);
    }
    assertThat(allSeqs)
        .doesNotHaveDuplicates()
        .hasSize(threads * perThread)
        .allSatisfy(seq -> assertThat(seq).isBetween(1L, (long) threads * perThread));
    await().until(() -> bob.messages.size() == threads * perThread);
    assertThat(cluster.received("send")).hasSize(threads * perThread);
  }
}
