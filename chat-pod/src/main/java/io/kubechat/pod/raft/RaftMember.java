package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.state.Applied;
import io.kubechat.pod.chat.state.ChatState;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.microraft.MembershipChangeMode;
import io.microraft.Ordered;
import io.microraft.QueryPolicy;
import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftNode.RaftNodeBuilder;
import io.microraft.RaftNodeStatus;
import io.microraft.RaftRole;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.model.message.RaftMessage;
import io.microraft.persistence.RaftStore;
import io.microraft.report.RaftNodeReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This pod's consensus member: at most one MicroRaft node at a time, its chat state, its latest
 * report and the status derived from it. Everything the node reports hops onto the backend's
 * context, where all fields live; a node started again (after a removal) bumps the generation, so
 * that the former node's late callbacks are ignored.
 */
final class RaftMember {
  private static final Logger LOG = LoggerFactory.getLogger(RaftMember.class);

  /** What the member tells the backend; called on the backend's context. */
  interface Listener {
    /** An entry was applied to the chat state. */
    void applied(Proposal proposal, Applied applied);

    /** The state was restored from a snapshot: entries up to it were not applied one by one. */
    void restored();

    /** A new report changed the status. */
    void statusChanged(BackendStatus status);

    /** The group terminated this node (it was removed) while the pod is not stopping. */
    void removedByGroup();
  }

  private final Vertx vertx;
  private final Context context;
  private final String node;
  private final RaftPersistence persistence;
  private final RaftSettings settings;
  private final RaftMetrics metrics;
  private final DefaultRaftModelFactory factory;
  private final RaftCodec codec;
  private final ScaledTime time = new ScaledTime();
  private final Predicate<PodEndpoint> reachable;
  private Listener listener;

  /** This member's identity; changes only when the pod joins again after being removed. */
  private volatile PodEndpoint self;

  private int rejoins;
  private int generation;
  private boolean stopping;
  private boolean terminated;
  private volatile RaftNode raft;
  private ElectionWatchdog watchdog;
  private volatile String groupId;
  private volatile long joinedAtIndex = Long.MAX_VALUE;
  private volatile RaftNodeReport report;
  private volatile BackendStatus status =
      new BackendStatus("NONE", 0, null, 0, null, 0, 0, false, "not started", List.of());

  RaftMember(
      Vertx vertx,
      Context context,
      String node,
      RaftPersistence persistence,
      RaftSettings settings,
      RaftMetrics metrics,
      DefaultRaftModelFactory factory,
      Predicate<PodEndpoint> reachable) {
    this.vertx = vertx;
    this.context = context;
    this.node = node;
    this.persistence = persistence;
    this.settings = settings;
    this.metrics = metrics;
    this.factory = factory;
    this.codec = new RaftCodec(factory);
    this.reachable = reachable;
    this.self = new PodEndpoint(node, persistence.memberId());
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  // ------------------------------------------------------------------ reads

  PodEndpoint self() {
    return self;
  }

  String node() {
    return node;
  }

  /** True while a Raft node runs (or is being started) here. */
  boolean running() {
    return raft != null;
  }

  boolean stopping() {
    return stopping;
  }

  String groupId() {
    return groupId;
  }

  /**
   * Reads the chat state on the Raft thread (a local MicroRaft query, in any role): {@code absent}
   * without a member or when the node cannot answer. Completes on the backend's context.
   */
  <T> Future<T> read(Function<ChatState, T> reader, T absent) {
    RaftNode r = raft;
    if (r == null) {
      return Future.succeededFuture(absent);
    }
    CompletableFuture<Ordered<T>> f =
        r.query(
            new ChatStateMachine.StateRead<>(reader),
            QueryPolicy.EVENTUAL_CONSISTENCY,
            Optional.empty(),
            Optional.empty());
    return Future.fromCompletionStage(f, context).map(Ordered::getResult).otherwise(absent);
  }

  long joinedAtIndex() {
    return joinedAtIndex;
  }

  RaftNodeReport report() {
    return report;
  }

  BackendStatus status() {
    return status;
  }

  boolean isLeader() {
    RaftNodeReport r = report;
    return raft != null && !stopping && r != null && r.getRole() == RaftRole.LEADER;
  }

  /**
   * On the leader, the members that answered it within the heartbeat timeout: Raft's own evidence
   * that a member lives, which no other process can fake by claiming its pod name.
   */
  Set<PodEndpoint> answering(RaftNodeReport r) {
    if (r.getRole() != RaftRole.LEADER) {
      return Set.of();
    }
    long now = time.millis();
    Set<PodEndpoint> out = new HashSet<>();
    r.getHeartbeatTimestamps()
        .forEach(
            (e, at) -> {
              if (ScaledTime.toRealMillis(now - at) < settings.heartbeatTimeoutMs()) {
                out.add((PodEndpoint) e);
              }
            });
    return out;
  }

  /** The generation of the running node, to tell a later node's callbacks from this one's. */
  int generation() {
    return generation;
  }

  // ------------------------------------------------------------------ starting

  /** Forms a new group whose only voter is this member. */
  void form(String group) {
    startRaft(group, List.of(self), List.of(self));
    joinedAtIndex = 1; // the first leader's no-op entry
  }

  /** Joins {@code group} as added by its leader at {@code index}, from its initial members. */
  void join(
      String group,
      long index,
      Collection<RaftEndpoint> initial,
      Collection<RaftEndpoint> initialVoting) {
    joinedAtIndex = index;
    startRaft(group, initial, initialVoting);
  }

  /** Starts the member restored from the data directory: same endpoint, vote, log and group. */
  void resume(RaftPersistence.Restored r) {
    self = r.self();
    rejoins = r.self().rejoins();
    joinedAtIndex = r.lastIndex();
    LOG.info(
        "{}: restarting as member {} of group {} from its data directory (term {}, log up to {})",
        node,
        self,
        r.group(),
        r.state().getTermPersistentState().getTerm(),
        joinedAtIndex);
    startRaft(r.group(), b -> b.setRestoredState(r.state()).setStore(r.store()));
  }

  /**
   * The group removed this member: drop the node and become a new member (the log holds our
   * removal, so replaying it as the same member would remove us again).
   */
  void dropRemoved(String reason) {
    generation++;
    raft = null;
    self = self.rejoined(++rejoins);
    report = null;
    status = status.outside(reason);
  }

  /**
   * Starts a new member of {@code group}, with a new store when the pod has a data directory (the
   * store is opened off the event loop; a start overtaken by a stop or a rejoin is dropped).
   */
  private void startRaft(
      String group, Collection<RaftEndpoint> initial, Collection<RaftEndpoint> initialVoting) {
    PodEndpoint member = self;
    int gen = generation;
    vertx
        .executeBlocking(() -> persistence.fresh(group, member))
        .recover(
            e -> {
              LOG.error(
                  "{}: cannot keep the Raft state in the data directory, keeping it in memory: {}",
                  node,
                  e.toString());
              return Future.succeededFuture(Optional.<RaftStore>empty());
            })
        .onSuccess(
            store -> {
              if (stopping || gen != generation || raft != null) {
                return;
              }
              startRaft(
                  group,
                  b -> {
                    b.setLocalEndpoint(member).setInitialGroupMembers(initial, initialVoting);
                    store.ifPresent(b::setStore);
                  });
            });
  }

  private void startRaft(String group, Consumer<RaftNodeBuilder> membership) {
    int gen = ++generation;
    groupId = group;
    ChatState state =
        new ChatState(
            group, settings.historyLimit(), settings.dedupPerClient(), settings.dedupClients());
    RaftConfig config =
        RaftConfig.newBuilder()
            // MicroRaft's time runs ScaledTime.SCALE times faster: its "seconds" are 50 ms ticks
            .setLeaderElectionTimeoutMillis(ScaledTime.scaledMillis(settings.electionTimeoutMs()))
            .setLeaderHeartbeatPeriodSecs(ScaledTime.ticks(settings.heartbeatPeriodMs()))
            .setLeaderHeartbeatTimeoutSecs(ScaledTime.ticks(settings.heartbeatTimeoutMs()))
            .setCommitCountToTakeSnapshot(settings.snapshotEveryEntries())
            // entries hold up to 8 KiB of text: keep one append message well under a few MiB
            .setAppendEntriesRequestBatchSize(100)
            .setMaxPendingLogEntryCount(5000)
            .setTransferSnapshotsFromFollowersEnabled(false)
            .setRaftNodeReportPublishPeriodSecs((int) ScaledTime.ticks(5000))
            .build();
    ChatStateMachine machine =
        new ChatStateMachine(
            state,
            new ChatStateMachine.Listener() {
              @Override
              public void applied(long index, Proposal proposal, Applied applied) {
                onContext(gen, () -> listener.applied(proposal, applied));
              }

              @Override
              public void restored(long index) {
                onContext(gen, listener::restored);
              }
            });
    RaftNodeBuilder builder = RaftNode.newBuilder().setGroupId(group);
    membership.accept(builder);
    RaftNode started =
        builder
            .setConfig(config)
            .setExecutor(ScaledTime.executor())
            .setClock(time.clock())
            .setTransport(new EventBusTransport(vertx, context, codec, node, reachable::test))
            .setStateMachine(machine)
            .setModelFactory(factory)
            .setRaftNodeReportListener(r -> onContext(gen, () -> onReport(r)))
            .build();
    raft = started;
    watchdog =
        new ElectionWatchdog(
            started, node, settings.heartbeatTimeoutMs(), metrics::watchdogRecovery);
    started.start();
  }

  /** Runs {@code action} on the context unless a later node replaced the one of {@code gen}. */
  private void onContext(int gen, Runnable action) {
    context.runOnContext(
        v -> {
          if (gen == generation) {
            action.run();
          }
        });
  }

  // ------------------------------------------------------------------ running

  /**
   * Hands a Raft message to the node if it is for this member of our group; returns the message
   * handled, or null.
   */
  RaftMessage handle(String toMemberId, JsonObject body) {
    RaftNode r = raft;
    // A recreated pod reuses its address: drop what was meant for its former incarnation.
    if (r == null || !self.getId().equals(toMemberId)) {
      return null;
    }
    RaftMessage m = codec.decode(body);
    if (!m.getGroupId().equals(groupId)) {
      return null;
    }
    r.handle(m);
    return m;
  }

  /** Periodic: lets the watchdog look at the node (see {@link ElectionWatchdog}). */
  void checkElection() {
    if (raft != null) {
      watchdog.check();
    }
  }

  /** On the leader: replicates and completes with the entry's index (after commit). */
  Future<Long> replicate(Proposal proposal) {
    RaftNode r = raft;
    if (r == null) {
      return Future.failedFuture("not a member");
    }
    CompletableFuture<Ordered<Object>> f = r.replicate(proposal);
    return Future.fromCompletionStage(f, context).map(Ordered::getCommitIndex);
  }

  /** Completes with the index of the committed change; one change at a time is the caller's. */
  Future<Long> changeMembership(RaftEndpoint endpoint, MembershipChangeMode mode) {
    RaftNode r = raft;
    return freshReport()
        .compose(
            rep ->
                Future.fromCompletionStage(
                    r.changeMembership(endpoint, mode, rep.getCommittedMembers().getLogIndex()),
                    context))
        .map(Ordered::getCommitIndex);
  }

  Future<Void> transferLeadership(RaftEndpoint target) {
    return Future.fromCompletionStage(raft.transferLeadership(target), context).mapEmpty();
  }

  /** A report read on the Raft thread now (the node's member getters are not thread-safe). */
  Future<RaftNodeReport> freshReport() {
    RaftNode r = raft;
    if (r == null) {
      return Future.failedFuture("not a member");
    }
    return Future.fromCompletionStage(r.getReport(), context)
        .map(
            o -> {
              if (r == raft) {
                onReport(o.getResult());
              }
              return o.getResult();
            });
  }

  private void onReport(RaftNodeReport r) {
    if (raft == null || terminated) {
      return;
    }
    if (r.getStatus() == RaftNodeStatus.TERMINATED && !stopping) {
      listener.removedByGroup();
      return;
    }
    report = r;
    // report timestamps are on MicroRaft's (scaled) clock
    status = StatusView.of(r, groupId, self, time.millis(), settings.heartbeatTimeoutMs());
    listener.statusChanged(status);
  }

  /** Terminates the node of a member the group removed (it is replaced by a new one). */
  void terminateRemoved() {
    RaftNode r = raft;
    if (r != null) {
      r.terminate();
    }
  }

  // ------------------------------------------------------------------ stopping

  /** From now on no node starts and a terminated node does not count as removed. */
  void markStopping() {
    stopping = true;
  }

  /** Terminates the node, if any; the status says "stopped" afterwards. */
  Future<Void> terminate() {
    RaftNode r = raft;
    Future<?> done =
        r == null
            ? Future.succeededFuture()
            : Future.fromCompletionStage(r.terminate(), context)
                .recover(e -> Future.succeededFuture());
    return done.map(
        x -> {
          terminated = true;
          status = status.outside("stopped");
          return null;
        });
  }

  /** Forgets the data directory: a member that left is gone for good. Blocking. */
  void forget() {
    persistence.forget();
  }
}
