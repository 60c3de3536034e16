package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftRole;
import io.microraft.impl.RaftNodeImpl;
import io.microraft.model.message.RaftMessage;
import io.microraft.statemachine.StateMachine;
import io.microraft.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three MicroRaft nodes in one JVM, with the pods' timings and clock scaling, linked by a transport
 * that can cut one direction of a link. It drives both followers into the state in which MicroRaft
 * 0.7 never starts an election (see {@link ElectionWatchdog}), then stops the leader: without the
 * watchdog no leader comes back; with it, one does. The first test also guards the internals the
 * watchdog relies on: should MicroRaft fix the cause, it fails, and the watchdog can go.
 */
class ElectionWatchdogTest {

  private static final RaftSettings SETTINGS = RaftSettings.defaults();
  private final Map<RaftEndpoint, RaftNodeImpl> nodes = new ConcurrentHashMap<>();
  private final Set<String> cut = ConcurrentHashMap.newKeySet();
  private final ScaledTime time = new ScaledTime();

  @AfterEach
  void stop() {
    nodes.values().forEach(RaftNode::terminate);
  }

  @Test
  void microRaftNeverElectsAgainOnceBothFollowersKeptAPendingPreVote() {
    RaftNodeImpl leader = startGroupWithStuckFollowers();
    leader.terminate();
    List<RaftNodeImpl> survivors = survivors(leader);
    Awaitility.await("no election: each survivor waits for the dead leader")
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(6))
        .until(
            () -> survivors.stream().allMatch(n -> leader.getLocalEndpoint().equals(leaderOf(n))));
  }

  @Test
  void theWatchdogStartsTheElectionThatMicroRaftWouldNot() {
    RaftNodeImpl leader = startGroupWithStuckFollowers();
    AtomicInteger recoveries = new AtomicInteger();
    List<ElectionWatchdog> watchdogs = new ArrayList<>();
    for (RaftNodeImpl n : survivors(leader)) {
      watchdogs.add(
          new ElectionWatchdog(
              n,
              n.getLocalEndpoint().getId().toString(),
              SETTINGS.heartbeatTimeoutMs(),
              recoveries::incrementAndGet));
    }
    long stopped = System.nanoTime();
    leader.terminate();
    RaftEndpoint elected =
        Awaitility.await("a new leader")
            .atMost(Duration.ofSeconds(20))
            // as often as a pod's maintenance tick checks
            .pollInterval(Duration.ofMillis(SETTINGS.maintenancePeriodMs()))
            .until(
                () -> {
                  watchdogs.forEach(ElectionWatchdog::check);
                  return survivors(leader).stream()
                      .filter(n -> n.getReport().join().getResult().getRole() == RaftRole.LEADER)
                      .map(RaftNode::getLocalEndpoint)
                      .findFirst()
                      .orElse(null);
                },
                Objects::nonNull);
    System.out.printf(
        "WATCHDOG: %s elected %d ms after the leader stopped%n",
        elected.getId(), (System.nanoTime() - stopped) / 1_000_000);
    assertThat(elected).isNotEqualTo(leader.getLocalEndpoint());
    assertThat(recoveries.get()).isPositive();
  }

  @Test
  void theWatchdogLeavesAHealthyGroupAlone() {
    RaftNodeImpl leader = startGroup();
    AtomicInteger recoveries = new AtomicInteger();
    List<ElectionWatchdog> watchdogs =
        survivors(leader).stream()
            .map(n -> new ElectionWatchdog(n, "f", 100, recoveries::incrementAndGet))
            .toList();
    Awaitility.await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              watchdogs.forEach(ElectionWatchdog::check);
              return recoveries.get() == 0;
            });
  }

  /** A group of three whose two followers both took their leader back during a pre-vote. */
  private RaftNodeImpl startGroupWithStuckFollowers() {
    RaftNodeImpl leader = startGroup();
    for (RaftNodeImpl follower : survivors(leader)) {
      String link = leader.getLocalEndpoint().getId() + ">" + follower.getLocalEndpoint().getId();
      cut.add(link);
      // the other follower still hears the leader, so it turns the pre-vote down
      Awaitility.await("a pre-vote")
          .atMost(Duration.ofSeconds(10))
          .until(() -> onRaftThread(follower, n -> n.state().preCandidateState() != null));
      cut.remove(link);
      Awaitility.await("the leader back, the pre-vote still pending")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  onRaftThread(
                      follower,
                      n ->
                          leader.getLocalEndpoint().equals(n.state().leader())
                              && n.state().preCandidateState() != null));
    }
    return leader;
  }

  private RaftNodeImpl startGroup() {
    List<RaftEndpoint> members =
        List.of(new PodEndpoint("a", "1"), new PodEndpoint("b", "1"), new PodEndpoint("c", "1"));
    RaftConfig config =
        RaftConfig.newBuilder()
            .setLeaderElectionTimeoutMillis(ScaledTime.scaledMillis(SETTINGS.electionTimeoutMs()))
            .setLeaderHeartbeatPeriodSecs(ScaledTime.ticks(SETTINGS.heartbeatPeriodMs()))
            .setLeaderHeartbeatTimeoutSecs(ScaledTime.ticks(SETTINGS.heartbeatTimeoutMs()))
            .build();
    for (RaftEndpoint m : members) {
      RaftNodeImpl node =
          (RaftNodeImpl)
              RaftNode.newBuilder()
                  .setGroupId("g")
                  .setLocalEndpoint(m)
                  .setInitialGroupMembers(members)
                  .setConfig(config)
                  .setExecutor(ScaledTime.executor())
                  .setClock(time.clock())
                  .setTransport(new CuttableTransport())
                  .setStateMachine(new NoOpStateMachine())
                  .build();
      nodes.put(m, node);
    }
    nodes.values().forEach(RaftNode::start);
    return Awaitility.await("a leader")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                nodes.values().stream()
                    .filter(n -> n.getReport().join().getResult().getRole() == RaftRole.LEADER)
                    .findFirst()
                    .orElse(null),
            Objects::nonNull);
  }

  private List<RaftNodeImpl> survivors(RaftNodeImpl leader) {
    return nodes.values().stream().filter(n -> n != leader).toList();
  }

  private static RaftEndpoint leaderOf(RaftNodeImpl n) {
    return n.getReport().join().getResult().getTerm().getLeaderEndpoint();
  }

  /** Reads MicroRaft's state on its own thread. */
  private static boolean onRaftThread(RaftNodeImpl node, Predicate<RaftNodeImpl> test) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    node.getExecutor().execute(() -> result.complete(test.test(node)));
    return result.join();
  }

  private final class CuttableTransport implements Transport {
    @Override
    public void send(RaftEndpoint target, RaftMessage message) {
      RaftNodeImpl to = nodes.get(target);
      if (to != null && !cut.contains(message.getSender().getId() + ">" + target.getId())) {
        to.handle(message);
      }
    }

    @Override
    public boolean isReachable(RaftEndpoint endpoint) {
      return nodes.containsKey(endpoint);
    }
  }

  private static final class NoOpStateMachine implements StateMachine {
    @Override
    public Object runOperation(long commitIndex, Object operation) {
      return null;
    }

    @Override
    public void takeSnapshot(long commitIndex, Consumer<Object> snapshotChunkConsumer) {
      snapshotChunkConsumer.accept("snapshot");
    }

    @Override
    public void installSnapshot(long commitIndex, List<Object> snapshotChunks) {}

    @Override
    public Object getNewTermOperation() {
      return "new-term";
    }
  }
}
