package io.kubechat.pod.raft;

import static io.kubechat.pod.raft.LocalCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Several backends on one local Vert.x, each with its own address (see {@link LocalCluster}). */
class RaftChatBackendTest {

  static RaftSettings settings() {
    return RaftSettings.defaults().withDiscoveryWindowMs(300);
  }

  @Test
  void electsOneLeaderAndEveryPodDeliversTheSameOrder() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod leader = c.leader();
      assertThat(c.followers()).hasSize(2);
      for (TestPod p : c.pods) {
        await().until(() -> leader.node.equals(p.backend.status().leader()));
        assertThat(p.backend.status().term()).isEqualTo(leader.backend.status().term());
        assertThat(p.backend.status().available()).isTrue();
      }
      List<Future<SendResult>> acks = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        for (TestPod p : c.pods) {
          acks.add(
              p.backend.send(
                  new SendRequest(
                      "g",
                      "u-" + p.node,
                      "c-" + p.node,
                      "m" + i,
                      "text " + i + " from " + p.node,
                      p.node)));
        }
      }
      List<SendResult> results = acks.stream().map(LocalCluster::get).toList();
      assertThat(results)
          .extracting(SendResult::seq)
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
      await().until(() -> c.pods.stream().allMatch(p -> p.messages("g").size() == 30));
      List<ChatMessage> order = c.pods.get(0).messages("g");
      assertThat(order)
          .extracting(ChatMessage::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
      for (TestPod p : c.pods) {
        assertThat(p.messages("g")).isEqualTo(order);
      }
      for (SendResult r : results) {
        ChatMessage m = order.get((int) r.seq() - 1);
        assertThat(m.id()).isEqualTo(r.id());
        assertThat(m.epoch()).isEqualTo(r.epoch());
        assertThat(m.ts()).isEqualTo(r.ts());
      }
    }
  }

  @Test
  void aResendGetsTheOriginalAckAndIsDeliveredOnce() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod a = c.followers().get(0);
      TestPod b = c.followers().get(1);
      SendRequest req = new SendRequest("g", "ann", "client-1", "id-1", "hello", a.node);
      SendResult first = get(a.backend.send(req));
      get(a.backend.send(new SendRequest("g", "ann", "client-1", "id-2", "second", a.node)));
      // the client reconnected to another pod and resends
      SendResult again =
          get(b.backend.send(new SendRequest("g", "ann", "client-1", "id-1", "hello", b.node)));
      assertThat(again).isEqualTo(first);
      await().until(() -> c.pods.stream().allMatch(p -> p.messages("g").size() == 2));
      for (TestPod p : c.pods) {
        assertThat(p.messages("g")).extracting(ChatMessage::id).containsExactly("id-1", "id-2");
      }
    }
  }

  @Test
  void joinResultAndLiveEventsMeetWithoutGapOrDuplicate() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod sender = c.pods.get(0);
      TestPod joiner = c.pods.get(2);
      List<Future<SendResult>> acks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        acks.add(sender.backend.send(new SendRequest("g", "s", "cs", "a" + i, "x", sender.node)));
      }
      // join in the middle of the stream; remember where live events start on the joiner
      int[] liveFrom = new int[1];
      var joined =
          joiner
              .backend
              .join(new JoinRequest("g", "j", "cj", joiner.node, 0, null, 1))
              .onSuccess(r -> liveFrom[0] = joiner.events.size());
      for (int i = 20; i < 40; i++) {
        acks.add(sender.backend.send(new SendRequest("g", "s", "cs", "a" + i, "x", sender.node)));
      }
      acks.forEach(LocalCluster::get);
      var result = get(joined);
      await().until(() -> joiner.messages("g").size() == 40);
      List<Long> seen = new ArrayList<>();
      result.replay().forEach(m -> seen.add(m.seq()));
      joiner.events.subList(liveFrom[0], joiner.events.size()).stream()
          .filter(e -> e instanceof ChatEvent.Message)
          .forEach(e -> seen.add(((ChatEvent.Message) e).message().seq()));
      assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
      assertThat(result.seq()).isEqualTo(result.replay().size());
      assertThat(result.members()).contains("j");
    }
  }

  @Test
  void aNewPodJoinsAsLearnerCatchesUpBySnapshotAndIsPromoted() {
    try (LocalCluster c = LocalCluster.start(3, settings().withSnapshotEveryEntries(20))) {
      TestPod a = c.pods.get(1);
      for (int i = 0; i < 60; i++) {
        get(a.backend.send(new SendRequest("g", "u", "c", "m" + i, "t" + i, a.node)));
      }
      TestPod late = c.startPod("n4", false);
      c.awaitVoters(4);
      assertThat(late.role()).isIn("FOLLOWER", "LEARNER");
      await().until(() -> late.role().equals("FOLLOWER"));
      // the early messages came in the snapshot, not as applied entries
      assertThat(late.messages("g").size()).isLessThan(60);
      assertThat(late.history("g")).hasSize(60).isEqualTo(c.leader().history("g"));
      SendResult r = get(late.backend.send(new SendRequest("g", "u", "c", "m60", "t", late.node)));
      assertThat(r.seq()).isEqualTo(61);
      await().until(() -> c.pods.stream().allMatch(p -> p.history("g").size() == 61));
    }
  }

  @Test
  void aPartitionedMinorityFailsFastWhileTheMajorityGoesOnAndCatchesUpAfterHealing() {
    // a long send timeout, so that failing fast cannot be mistaken for timing out
    try (LocalCluster c = LocalCluster.start(3, settings().withSendTimeoutMs(10_000))) {
      TestPod leader = c.leader();
      TestPod cut = followerCutOffAfterFirstMessage(c);
      long t0 = System.nanoTime();
      Throwable err =
          catchFailure(cut.backend.send(new SendRequest("g", "u", "cut", "x1", "lost?", cut.node)));
      assertThat(err).isInstanceOf(ChatException.class);
      assertThat(((ChatException) err).code()).isEqualTo("UNAVAILABLE");
      assertThat(((ChatException) err).retryable()).isTrue();
      // the forward to the unreachable leader gives up after the forward timeout (1 s)
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
      for (int i = 0; i < 10; i++) {
        get(leader.backend.send(new SendRequest("g", "u", "maj", "m" + i, "t", leader.node)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> !cut.backend.status().available());
      // once it knows, it fails within the election grace (2 election timeouts), then at once
      long t1 = System.nanoTime();
      catchFailure(cut.backend.send(new SendRequest("g", "u", "cut", "x2", "t", cut.node)));
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(4));
      long t2 = System.nanoTime();
      catchFailure(cut.backend.send(new SendRequest("g", "u", "cut", "x3", "t", cut.node)));
      assertThat(Duration.ofNanos(System.nanoTime() - t2)).isLessThan(Duration.ofSeconds(4));
      assertThat(cut.history("g")).hasSizeLessThan(10);
      // reads still answer from the local state
      assertThat(cut.history("g")).extracting(ChatMessage::id).containsExactly("first");
      assertThat(cut.role()).isNotEqualTo("LEADER");
      c.cutOff.clear();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> cut.backend.status().available() && cut.history("g").size() >= 10);
      assertThat(cut.history("g"))
          .isEqualTo(leader.history("g").subList(0, cut.history("g").size()));
      SendResult r = get(cut.backend.send(new SendRequest("g", "u", "cut", "x4", "t", cut.node)));
      assertThat(r.seq()).isGreaterThan(10);
    }
  }

  @Test
  void withoutQuorumJoinAndLeaveAnswerFromTheLocalStateAndReachTheLogAfterHealing() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod leader = c.leader();
      TestPod cut = c.followers().get(0);
      get(leader.backend.join(new JoinRequest("g", "ann", "c-ann", leader.node, -1, null, 1)));
      get(cut.backend.join(new JoinRequest("g", "zed", "c-zed", cut.node, -1, null, 1)));
      assertThat(followerCutOffAfterFirstMessage(c)).isSameAs(cut);
      await().atMost(Duration.ofSeconds(10)).until(() -> !cut.backend.status().available());
      String epoch = cut.read(s -> s.view("g", -1, null).epoch());

      JoinResult joined =
          get(cut.backend.join(new JoinRequest("g", "bob", "c-bob", cut.node, 0, epoch, 1)));
      assertThat(joined.local()).isTrue();
      assertThat(joined.replay()).extracting(ChatMessage::id).containsExactly("first");
      assertThat(joined.members()).containsExactly("ann", "bob", "zed");
      LeaveResult left =
          get(cut.backend.leave(new LeaveRequest("g", "zed", "c-zed", cut.node, "leave", 1)));
      assertThat(left.local()).isTrue();
      assertThat(left.members()).containsExactly("ann", "bob");
      // a group this pod never saw has no epoch yet: only the log can create it
      Throwable err =
          catchFailure(
              cut.backend.join(new JoinRequest("unknown", "bob", "c-bob", cut.node, -1, null, 1)));
      assertThat(((ChatException) err).code()).isEqualTo("UNAVAILABLE");
      assertThat(leader.members("g")).containsExactly("ann", "zed");

      c.cutOff.clear();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> c.pods.stream().allMatch(p -> p.members("g").equals(List.of("ann", "bob"))));
      // the other pods were told (the two corrections may commit in either order)
      assertThat(leader.events)
          .filteredOn(ChatEvent.Presence.class::isInstance)
          .map(e -> (ChatEvent.Presence) e)
          .extracting(p -> p.clientId() + (p.joined() ? " joined" : " left"))
          .containsSubsequence("c-ann joined", "c-zed joined")
          .contains("c-bob joined", "c-zed left");
      assertThat(cut.members("unknown")).isEmpty();
    }
  }

  @Test
  void aLaggingMemberThatInstallsASnapshotAsksItsClientsToResync() {
    try (LocalCluster c = LocalCluster.start(3, settings().withSnapshotEveryEntries(10))) {
      TestPod leader = c.leader();
      TestPod cut = followerCutOffAfterFirstMessage(c);
      assertThat(cut.resyncs.get()).isZero();
      for (int i = 0; i < 30; i++) {
        get(leader.backend.send(new SendRequest("g", "u", "maj", "m" + i, "t", leader.node)));
      }
      c.cutOff.clear();
      await().atMost(Duration.ofSeconds(15)).until(() -> cut.history("g").size() == 31);
      // the entries the snapshot covered produced no events here: the pod must be told
      await().until(() -> cut.resyncs.get() >= 1);
      assertThat(cut.messages("g").size()).isLessThan(31);
    }
  }

  @Test
  void stoppingTheLeaderHandsOverWithoutFailedSends() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod leader = c.leader();
      TestPod client = c.followers().get(0);
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicInteger acked = new AtomicInteger();
      AtomicBoolean running = new AtomicBoolean(true);
      sendLoop(client, running, acked, failures, 0);
      await().until(() -> acked.get() >= 20);
      get(leader.backend.stop());
      int atStop = acked.get();
      await()
          .atMost(Duration.ofSeconds(10))
          .alias("acks after the handover, failures: " + failures.stream().limit(3).toList())
          .until(() -> acked.get() >= atStop + 20);
      running.set(false);
      assertThat(failures).isEmpty();
      TestPod newLeader = c.leader();
      assertThat(newLeader).isNotNull().isNotSameAs(leader);
      await().until(() -> newLeader.backend.status().members().size() == 2);
      assertThat(newLeader.backend.status().members()).noneMatch(m -> m.node().equals(leader.node));
      assertThat(leader.role()).isEqualTo("NONE");
    }
  }

  @Test
  void aDeadMemberIsRemovedAfterTheTimeoutAndTheRestGoesOn() {
    try (LocalCluster c = LocalCluster.start(3, settings().withMemberRemovalTimeoutS(1))) {
      TestPod victim = c.followers().get(0);
      c.cutOff.add(victim.node);
      get(victim.backend.abort());
      TestPod leader = c.leader();
      // alive as far as heartbeats go: it stays a member
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> leader.backend.status().members().size() == 3);
      c.view.put(
          victim.node,
          new MemberInfo(victim.node, victim.incarnation, MemberState.DEAD, 6000, false));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> leader.backend.status().members().size() == 2);
      assertThat(leader.backend.status().members()).allMatch(m -> m.voter());
      get(leader.backend.send(new SendRequest("g", "u", "c", "after", "t", leader.node)));
    }
  }

  @Test
  void aRecreatedPodIsANewMemberAndItsFormerIncarnationIsRemoved() {
    try (LocalCluster c = LocalCluster.start(3, settings().withSnapshotEveryEntries(20))) {
      TestPod leader = c.leader();
      for (int i = 0; i < 30; i++) {
        get(leader.backend.send(new SendRequest("g", "u", "c", "m" + i, "t", leader.node)));
      }
      TestPod old = c.followers().get(0);
      get(old.backend.abort());
      c.pods.remove(old);
      TestPod fresh = c.startPod(old.node, false); // same name, new incarnation
      assertThat(fresh.incarnation).isNotEqualTo(old.incarnation);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                var members = leader.backend.status().members();
                return members.size() == 3
                    && members.stream().allMatch(m -> m.voter())
                    && members.stream().anyMatch(m -> m.incarnation().equals(fresh.incarnation))
                    && members.stream().noneMatch(m -> m.incarnation().equals(old.incarnation));
              });
      assertThat(fresh.history("g")).hasSize(30);
      SendResult r = get(fresh.backend.send(new SendRequest("g", "u", "c", "x", "t", fresh.node)));
      assertThat(r.seq()).isEqualTo(31);
    }
  }

  @Test
  void aMemberRemovedWhileCutOffJoinsAgainAfterHealing() {
    try (LocalCluster c = LocalCluster.start(3, settings().withMemberRemovalTimeoutS(1))) {
      TestPod cut = c.followers().get(0);
      TestPod leader = c.leader();
      c.cutOff.add(cut.node);
      c.view.put(
          cut.node, new MemberInfo(cut.node, cut.incarnation, MemberState.DEAD, 6000, false));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> leader.backend.status().members().size() == 2);
      get(leader.backend.send(new SendRequest("g", "u", "c", "m1", "while away", leader.node)));
      c.cutOff.clear();
      c.view.put(cut.node, new MemberInfo(cut.node, cut.incarnation, MemberState.ALIVE, 0, true));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  cut.role().equals("FOLLOWER")
                      && leader.backend.status().members().size() == 3
                      && cut.history("g").size() == 1);
      get(cut.backend.send(new SendRequest("g", "u", "c", "m2", "back", cut.node)));
    }
  }

  @Test
  void aLeaderCutOffStepsDownAndTheMajorityElectsAnotherWithoutSplitBrain() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod old = c.leader();
      TestPod other = c.followers().get(0);
      get(old.backend.send(new SendRequest("g", "u", "c", "before", "t", old.node)));
      c.cutOff.add(old.node);
      // the old leader cannot commit: it fails with UNAVAILABLE, never hangs
      Throwable err =
          catchFailure(old.backend.send(new SendRequest("g", "u", "c", "lost", "t", old.node)));
      assertThat(((ChatException) err).code()).isEqualTo("UNAVAILABLE");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                TestPod l =
                    c.pods.stream()
                        .filter(p -> p != old && p.role().equals("LEADER"))
                        .findFirst()
                        .orElse(null);
                return l != null && other.backend.status().available();
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> !old.role().equals("LEADER"));
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  get(other.backend.send(new SendRequest("g", "u", "c", "after", "t", other.node)))
                          .seq()
                      >= 2);
      c.cutOff.clear();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  old.backend.status().available() && old.history("g").equals(other.history("g")));
      // every pod has one history: the entry the cut-off leader could not commit is not in it
      assertThat(old.history("g"))
          .extracting(ChatMessage::id)
          .doesNotContain("lost")
          .contains("before", "after");
    }
  }

  @Test
  void publishesTermRoleCommitIndexAndCommitLatency() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx = Vertx.vertx();
    try {
      RaftChatBackend b =
          new RaftChatBackend(
              vertx,
              "solo",
              RaftPersistence.inMemory("i1"),
              settings().withBootstrap(true),
              List::of,
              registry);
      get(b.start());
      get(b.send(new SendRequest("g", "u", "c", "m1", "t", "solo")));
      assertThat(registry.get("kubechat.raft.role").gauge().value()).isEqualTo(4.0);
      assertThat(registry.get("kubechat.raft.term").gauge().value()).isEqualTo(1.0);
      await().until(() -> registry.get("kubechat.raft.commit.index").gauge().value() >= 2);
      assertThat(registry.get("kubechat.raft.commit.latency").timer().count()).isEqualTo(1);
      assertThat(b.status().members())
          .singleElement()
          .satisfies(m -> assertThat(m.voter() && m.leader()).isTrue());
      get(b.stop());
      assertThat(b.status().role()).isEqualTo("NONE");
    } finally {
      get(vertx.close());
    }
  }

  @Test
  void malformedMessagesOnThePodAddressAreRejectedWithoutHarm() {
    try (LocalCluster c = LocalCluster.start(3, settings())) {
      TestPod leader = c.leader();
      String address = RaftAddresses.pod(leader.node);
      JsonObject junk = new JsonObject().put("T", "aer").put("g", 42).put("s", "no-slash");
      for (String kind : List.of("raft", "cmd", "add", "remove", "found", "removed", "bogus")) {
        var options =
            new DeliveryOptions()
                .setSendTimeout(2000)
                .addHeader(RaftAddresses.KIND, kind)
                .addHeader(RaftAddresses.TO, leader.node + "/" + leader.incarnation);
        c.vertx.eventBus().send(address, junk, options);
        c.vertx.eventBus().send(address, new JsonObject(), options);
        if (!kind.equals("raft") && !kind.equals("found") && !kind.equals("removed")) {
          // requests get an answer (an error or a refusal), never silence
          Throwable err = null;
          try {
            get(c.vertx.eventBus().request(address, junk, options));
          } catch (AssertionError e) {
            err = e;
          }
          assertThat(err == null || !err.toString().contains("TIMEOUT")).isTrue();
        }
      }
      SendResult r =
          get(
              c.followers()
                  .get(0)
                  .backend
                  .send(
                      new SendRequest("g", "u", "c", "still", "fine", c.followers().get(0).node)));
      assertThat(r.seq()).isEqualTo(1);
      assertThat(leader.role()).isEqualTo("LEADER");
    }
  }

  /** A follower that has the group's first message ("first"), then is cut off from the others. */
  private static TestPod followerCutOffAfterFirstMessage(LocalCluster c) {
    TestPod cut = c.followers().get(0);
    TestPod leader = c.leader();
    get(leader.backend.send(new SendRequest("g", "u", "maj", "first", "t", leader.node)));
    await().until(() -> cut.history("g").size() == 1);
    c.cutOff.add(cut.node);
    return cut;
  }

  private static void sendLoop(
      TestPod p, AtomicBoolean running, AtomicInteger acked, List<Throwable> failures, int i) {
    if (!running.get()) {
      return;
    }
    p.backend
        .send(new SendRequest("g", "u", "loop", "m" + i, "t", p.node))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failures.add(ar.cause());
              } else {
                acked.incrementAndGet();
              }
              sendLoop(p, running, acked, failures, i + 1);
            });
  }

  private static Throwable catchFailure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }
}
