package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.kubechat.pod.chat.state.Applied;
import io.kubechat.pod.chat.state.ChatCommand;
import io.kubechat.pod.chat.state.ChatState;
import io.kubechat.pod.chat.state.PresenceLedger;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.micrometer.core.instrument.MeterRegistry;
import io.microraft.MembershipChangeMode;
import io.microraft.Ordered;
import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftNode.RaftNodeBuilder;
import io.microraft.RaftNodeStatus;
import io.microraft.RaftRole;
import io.microraft.exception.CannotReplicateException;
import io.microraft.exception.IndeterminateStateException;
import io.microraft.exception.NotLeaderException;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.model.message.RaftMessage;
import io.microraft.persistence.RaftStore;
import io.microraft.report.RaftGroupMembers;
import io.microraft.report.RaftNodeReport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat backend on a Raft log (MicroRaft over the event bus): every join, leave, send and node
 * drop is a log entry; every pod applies the log in order to its own {@link ChatState} and delivers
 * the resulting events to its sockets.
 *
 * <p>Threads: MicroRaft runs on its own single thread (see {@link ScaledTime}); everything it
 * reports (applied entries, reports, futures) hops onto this backend's Vert.x context, where all
 * mutable fields of this class live. {@link ChatState} is synchronized for local reads.
 *
 * <p>Event-bus messages on the pod address {@code kubechat.raft.<node>} carry a {@code k} header:
 * {@code raft} (a Raft message), {@code cmd} (a proposal forwarded to the leader), {@code add} (add
 * me as a learner), {@code remove} (remove me), {@code found} (answer to a discovery request
 * published on {@link RaftAddresses#DISCOVERY}).
 */
public final class RaftChatBackend implements ChatBackend {

  private static final Logger LOG = LoggerFactory.getLogger(RaftChatBackend.class);
  private static final long RETRY_DELAY_MS = 50;
  private static final int MAX_PRESENCE_CORRECTIONS = 64;

  private final Vertx vertx;
  private final Context context;
  private final String node;

  /** This member's identity; changes only when the pod joins again after being removed. */
  private volatile PodEndpoint self;

  private int rejoins;

  /** Tags this process's proposals: a restored member's old entries are not its callers'. */
  private final String proposer;

  private final RaftPersistence persistence;
  private final RaftSettings settings;
  private final Supplier<List<MemberInfo>> membership;
  private final RaftMetrics metrics;
  private final DefaultRaftModelFactory factory = new DefaultRaftModelFactory();
  private final RaftCodec codec = new RaftCodec(factory);
  private final DeadMemberPolicy deadMembers;
  private final ScaledTime time = new ScaledTime();
  private final GroupDiscovery discovery;
  private final PresenceLedger presence;
  private final Proposals proposals;

  private final Map<PodEndpoint, Long> toldRemoved = new HashMap<>();
  private Handler<ChatEvent> eventHandler = e -> {};
  private Handler<Void> resyncHandler = v -> {};
  private MessageConsumer<JsonObject> podConsumer;
  private MessageConsumer<JsonObject> discoveryConsumer;
  private long maintenanceTimer = -1;
  private boolean membershipChangeRunning;
  private boolean stopping;
  private boolean terminated;
  private boolean handingOver;
  private Promise<Void> started;

  private String lastWaitReason;
  private long lastWaitLogged;

  /** The group of the member being restored, until its Raft node runs; else null. */
  private String restoring;

  private volatile RaftNode raft;
  private ElectionWatchdog watchdog;
  private volatile ChatState state;
  private volatile String groupId;
  private volatile List<MemberInfo> membershipCopy = List.of();

  /** Bumped on every (re)start of the Raft node, so that a former node's callbacks are ignored. */
  private int generation;

  private volatile long joinedAtIndex = Long.MAX_VALUE;
  private volatile RaftNodeReport report;
  private volatile BackendStatus status =
      new BackendStatus("NONE", 0, null, 0, false, "not started", List.of());

  /**
   * @param vertx the (clustered) Vert.x whose event bus carries Raft traffic
   * @param node this pod's name (unique among live pods; the event-bus address)
   * @param persistence where the member is kept across restarts (its id is this pod's incarnation:
   *     new on every pod start unless a data directory restores it)
   * @param settings timings and limits
   * @param membership the pod heartbeat membership table, read by the leader to remove dead members
   *     and by the transport to skip unreachable ones; called on this backend's context every
   *     maintenance period, so it must be safe to call from there (e.g. a reference to the latest
   *     snapshot of the table)
   * @param registry where to publish metrics, or null
   */
  public RaftChatBackend(
      Vertx vertx,
      String node,
      RaftPersistence persistence,
      RaftSettings settings,
      Supplier<List<MemberInfo>> membership,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.node = node;
    this.persistence = persistence;
    this.self = new PodEndpoint(node, persistence.memberId());
    this.proposer = node + "#" + UUID.randomUUID().toString().substring(0, 8);
    this.settings = settings;
    this.membership = membership;
    this.deadMembers = new DeadMemberPolicy(settings.memberRemovalTimeoutS() * 1000);
    this.metrics = new RaftMetrics(registry, node, () -> status);
    this.discovery = new GroupDiscovery(vertx, node, settings.discoveryWindowMs());
    this.presence = new PresenceLedger(node);
    this.proposals =
        new Proposals(
            vertx,
            node,
            settings,
            metrics,
            new Proposals.Consensus() {
              @Override
              public BackendStatus status() {
                return status;
              }

              @Override
              public String refusal() {
                return stopping
                    ? "the pod is stopping"
                    : raft == null ? "not a member of the consensus group" : null;
              }

              @Override
              public Future<?> refresh() {
                return freshReport();
              }

              @Override
              public Future<Long> replicate(Proposal proposal) {
                return RaftChatBackend.this.replicate(proposal);
              }

              @Override
              public Future<JsonObject> forward(String leader, JsonObject proposal) {
                return request(leader, "cmd", proposal, settings.forwardTimeoutMs());
              }
            });
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<Void> start() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        v -> {
          started = promise;
          podConsumer = vertx.eventBus().consumer(RaftAddresses.pod(node), this::onPodMessage);
          discoveryConsumer = vertx.eventBus().consumer(RaftAddresses.DISCOVERY, this::onDiscovery);
          // a restored member answers discovery with its group from the first request on
          Optional<RaftPersistence.Restored> restored = persistence.takeRestored();
          restored.ifPresent(r -> restoring = r.group());
          Future.all(podConsumer.completion(), discoveryConsumer.completion())
              .onSuccess(x -> restored.ifPresentOrElse(this::resume, this::discover))
              .onFailure(promise::tryFail);
          maintenanceTimer = vertx.setPeriodic(settings.maintenancePeriodMs(), id -> maintain());
        });
    return promise.future();
  }

  /** Looks for a running group; joins it, or forms one when bootstrapping, or looks again. */
  private void discover() {
    if (stopping || raft != null) {
      return;
    }
    discovery
        .find()
        .onSuccess(
            answers -> {
              if (stopping || raft != null) {
                return;
              }
              BootstrapDecision decision =
                  BootstrapDecision.decide(
                      node,
                      settings.bootstrap(),
                      answers,
                      otherClusterNodes(),
                      settings.clusterSize());
              switch (decision.kind()) {
                case JOIN -> askToJoin(decision.found(), 0);
                case FORM -> bootstrap();
                case WAIT -> {
                  logWaiting(decision.reason());
                  discover();
                }
              }
            });
  }

  /** Logs why discovery goes on: when the reason changes, else once every 30 s. */
  private void logWaiting(String reason) {
    long now = System.currentTimeMillis();
    if (!reason.equals(lastWaitReason) || now - lastWaitLogged >= 30_000) {
      LOG.info("{}: {}; retrying discovery", node, reason);
      lastWaitReason = reason;
      lastWaitLogged = now;
    }
  }

  /**
   * The other nodes of the clustered event bus (every one runs a pod), or -1 when not clustered.
   */
  private int otherClusterNodes() {
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    return cluster == null ? -1 : Math.max(0, cluster.getNodes().size() - 1);
  }

  /** Starts the member restored from the data directory: same endpoint, vote, log and group. */
  private void resume(RaftPersistence.Restored r) {
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
    restoring = null;
  }

  private void bootstrap() {
    String id = "kc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    LOG.info("{}: no consensus group found, forming group {}", node, id);
    startRaft(id, List.of(self), List.of(self));
    joinedAtIndex = 1; // the first leader's no-op entry
  }

  /** Asks a member (the leader, or one that knows it) to add this pod as a learner. */
  private void askToJoin(JsonObject found, int attempt) {
    if (stopping || raft != null) {
      return;
    }
    String target =
        found.getString("leader") != null ? found.getString("leader") : found.getString("node");
    JsonObject body = new JsonObject().put("id", self.getId());
    request(target, "add", body, settings.sendTimeoutMs())
        .onComplete(
            ar -> {
              if (stopping || raft != null) {
                return;
              }
              if (ar.succeeded() && ar.result().getBoolean("ok", false)) {
                JsonObject r = ar.result();
                joinedAtIndex = r.getLong("index");
                startRaft(
                    r.getString("group"),
                    RaftCodec.endpoints(r.getJsonArray("initial")),
                    RaftCodec.endpoints(r.getJsonArray("initialVoting")));
                return;
              }
              String leader = ar.succeeded() ? ar.result().getString("leader") : null;
              LOG.info(
                  "{}: join attempt {} via {} failed: {}",
                  node,
                  attempt,
                  target,
                  ar.succeeded() ? ar.result().encode() : ar.cause().getMessage());
              vertx.setTimer(
                  Math.min(1000, 100L * (attempt + 1)),
                  t -> {
                    if (leader != null) {
                      askToJoin(found.copy().put("leader", leader), attempt + 1);
                    } else {
                      discover();
                    }
                  });
            });
  }

  /**
   * The leader removed us (we were cut off for longer than the removal timeout): start over as a
   * learner with a fresh state, caught up from the leader.
   */
  private void rejoin() {
    LOG.warn("{}: removed from consensus group {}, joining again", node, groupId);
    generation++;
    raft = null;
    // the log holds our removal: join as a new member, or replaying it would remove us again
    self = self.rejoined(++rejoins);
    report = null;
    proposals.failAll("removed from the consensus group, rejoining");
    status =
        new BackendStatus(
            "NONE",
            status.term(),
            null,
            status.commitIndex(),
            false,
            "removed from the consensus group, rejoining",
            List.of());
    discover();
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
    state =
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
                context.runOnContext(
                    v -> {
                      if (gen == generation) {
                        onApplied(proposal, applied);
                      }
                    });
              }

              @Override
              public void restored(long index) {
                // the entries up to index were not applied one by one here: no events for them
                context.runOnContext(
                    v -> {
                      if (gen == generation) {
                        resyncHandler.handle(null);
                      }
                    });
              }
            });
    RaftNodeBuilder builder = RaftNode.newBuilder().setGroupId(group);
    membership.accept(builder);
    RaftNode node =
        builder
            .setConfig(config)
            .setExecutor(ScaledTime.executor())
            .setClock(time.clock())
            .setTransport(new EventBusTransport(vertx, context, codec, this.node, this::reachable))
            .setStateMachine(machine)
            .setModelFactory(factory)
            .setRaftNodeReportListener(
                r ->
                    context.runOnContext(
                        v -> {
                          if (gen == generation) {
                            onReport(r);
                          }
                        }))
            .build();
    raft = node;
    watchdog =
        new ElectionWatchdog(
            node, this.node, settings.heartbeatTimeoutMs(), metrics::watchdogRecovery);
    node.start();
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        v -> {
          if (stopping) {
            promise.complete();
            return;
          }
          stopping = true;
          vertx.cancelTimer(maintenanceTimer);
          long deadline = System.currentTimeMillis() + 3 * settings.sendTimeoutMs();
          Future<Boolean> left = raft == null ? Future.succeededFuture(true) : leave(deadline);
          // a member that left is gone for good: a restart must join as a new one; the last voter
          // keeps its directory, and with it the group and its history
          left.compose(
                  gone ->
                      gone ? vertx.executeBlocking(this::forget) : Future.<Void>succeededFuture())
              .recover(
                  err -> {
                    LOG.warn("{}: leaving the consensus group failed: {}", node, err.getMessage());
                    return Future.succeededFuture();
                  })
              .compose(x -> terminate())
              .onComplete(x -> promise.complete());
        });
    return promise.future();
  }

  /**
   * Stops at once without leaving the group, as a crash would (the others keep this member until
   * the leader removes it as dead). For tests and for a failed start.
   */
  public Future<Void> abort() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        v -> {
          stopping = true;
          vertx.cancelTimer(maintenanceTimer);
          terminate().onComplete(x -> promise.complete());
        });
    return promise.future();
  }

  private Void forget() {
    persistence.forget();
    return null;
  }

  /**
   * Hands over leadership if we have it, then has the leader remove us; completes with false when
   * this is the group's last voter, which stays a member (there is no one to hand over to).
   */
  private Future<Boolean> leave(long deadline) {
    RaftNodeReport r = report;
    Future<Void> handover = Future.succeededFuture();
    if (r != null && r.getRole() == RaftRole.LEADER) {
      Optional<RaftEndpoint> successor =
          r.getCommittedMembers().getVotingMembers().stream()
              .filter(e -> !e.equals(self))
              .max(
                  (a, b) ->
                      Long.compare(
                          r.getLog().getFollowerMatchIndices().getOrDefault(a, -1L),
                          r.getLog().getFollowerMatchIndices().getOrDefault(b, -1L)));
      if (successor.isEmpty()) {
        return Future.succeededFuture(false); // the last voter: nothing to hand over
      }
      LOG.info("{}: transferring leadership to {}", node, successor.get());
      // MicroRaft hands over only once every appended entry is committed: stop taking new ones
      handingOver = true;
      RaftEndpoint target = successor.get();
      handover =
          quiesced(target, System.currentTimeMillis() + 1000)
              .compose(x -> transfer(target))
              .recover(
                  err ->
                      quiesced(target, System.currentTimeMillis() + 1000)
                          .compose(x -> transfer(target)))
              .recover(
                  err -> {
                    LOG.warn("{}: leadership transfer failed: {}", node, err.getMessage());
                    return Future.succeededFuture();
                  });
    }
    return handover.compose(x -> removeSelf(deadline)).map(true);
  }

  private Future<Void> removeSelf(long deadline) {
    if (System.currentTimeMillis() > deadline) {
      return Future.failedFuture("timed out leaving the group");
    }
    return freshReport()
        .recover(e -> Future.succeededFuture())
        .compose(
            r -> {
              String leader = status.leader();
              if (report != null && report.getRole() == RaftRole.LEADER) {
                // the handover failed: remove ourselves; MicroRaft's leader steps down once
                // committed
                return changeMembership(self, MembershipChangeMode.REMOVE_MEMBER)
                    .<Void>mapEmpty()
                    .recover(e -> retryRemoveSelf(deadline));
              }
              if (leader == null || leader.equals(node)) {
                return retryRemoveSelf(deadline);
              }
              return removeVia(leader, deadline);
            });
  }

  private Future<Void> transfer(RaftEndpoint target) {
    return Future.fromCompletionStage(raft.transferLeadership(target), context).mapEmpty();
  }

  /** Completes once everything appended is committed and {@code target} has it all. */
  private Future<Void> quiesced(RaftEndpoint target, long deadline) {
    return freshReport()
        .compose(
            r -> {
              long last = r.getLog().getLastLogOrSnapshotIndex();
              boolean done =
                  r.getLog().getCommitIndex() == last
                      && r.getLog().getFollowerMatchIndices().getOrDefault(target, -1L) == last;
              if (done || System.currentTimeMillis() > deadline) {
                return Future.succeededFuture();
              }
              Promise<Void> later = Promise.promise();
              vertx.setTimer(10, t -> quiesced(target, deadline).onComplete(later));
              return later.future();
            });
  }

  private Future<Void> retryRemoveSelf(long deadline) {
    Promise<Void> later = Promise.promise();
    vertx.setTimer(RETRY_DELAY_MS, t -> removeSelf(deadline).onComplete(later));
    return later.future();
  }

  private Future<Void> removeVia(String leader, long deadline) {
    return request(
            leader, "remove", new JsonObject().put("id", self.getId()), settings.sendTimeoutMs())
        .compose(
            reply ->
                reply.getBoolean("ok", false)
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(reply.encode()))
        .recover(err -> retryRemoveSelf(deadline));
  }

  private Future<Void> terminate() {
    RaftNode node = raft;
    Future<?> terminated =
        node == null
            ? Future.succeededFuture()
            : Future.fromCompletionStage(node.terminate(), context)
                .recover(e -> Future.succeededFuture());
    return terminated.compose(
        x -> {
          this.terminated = true;
          if (started != null) {
            started.tryFail(
                new ChatException("UNAVAILABLE", "stopped before joining a group", true));
          }
          proposals.failAll("the pod is stopping");
          status =
              new BackendStatus(
                  "NONE", status.term(), null, status.commitIndex(), false, "stopped", List.of());
          List<Future<Void>> unregister = new ArrayList<>();
          if (podConsumer != null) {
            unregister.add(podConsumer.unregister());
          }
          if (discoveryConsumer != null) {
            unregister.add(discoveryConsumer.unregister());
          }
          return Future.all(unregister).mapEmpty();
        });
  }

  // ------------------------------------------------------------------ the chat API

  /**
   * Joins through the log; without a quorum, answers from the local state (replay, gap/reset and
   * members as this pod sees them) and leaves the log entry to the presence reconciliation.
   */
  @Override
  public Future<JoinResult> join(JoinRequest r) {
    return onContext(
        () -> {
          PresenceLedger.Key key = new PresenceLedger.Key(r.group(), r.clientId());
          presence.joined(key, r.user(), r.connection());
          return tracked(
                  key,
                  propose(
                      new ChatCommand.Join(
                          r.group(), r.user(), r.clientId(), r.node(), r.since(), r.epoch())))
              .map(JoinResult.class::cast)
              .recover(err -> joinLocally(r, key, err));
        });
  }

  private Future<JoinResult> joinLocally(JoinRequest r, PresenceLedger.Key key, Throwable err) {
    ChatState s = state;
    JoinResult view =
        s != null && answersLocally(err) ? s.view(r.group(), r.since(), r.epoch()) : null;
    if (view == null) {
      // a group this pod has never seen gets its epoch from the log: the client retries
      presence.left(key, r.connection());
      return Future.failedFuture(err);
    }
    LOG.info(
        "{}: join of {} to {} answered from the local state: {}",
        node,
        r.clientId(),
        r.group(),
        err.getMessage());
    return Future.succeededFuture(
        view.answeredLocally(presence.members(r.group(), s.presence(r.group()))));
  }

  /** Leaves through the log; without a quorum, at once on this pod and later in the log. */
  @Override
  public Future<LeaveResult> leave(LeaveRequest r) {
    return onContext(
        () -> {
          PresenceLedger.Key key = new PresenceLedger.Key(r.group(), r.clientId());
          presence.left(key, r.connection());
          return tracked(
                  key,
                  propose(
                      new ChatCommand.Leave(
                          r.group(), r.user(), r.clientId(), r.node(), r.reason())))
              .map(LeaveResult.class::cast)
              .recover(
                  err -> {
                    ChatState s = state;
                    return s != null && answersLocally(err)
                        ? Future.succeededFuture(
                            new LeaveResult(
                                r.group(),
                                presence.members(r.group(), s.presence(r.group())),
                                true))
                        : Future.failedFuture(err);
                  });
        });
  }

  /** True when {@code err} means "no quorum now" on a pod that still serves its local state. */
  private boolean answersLocally(Throwable err) {
    return !stopping && err instanceof ChatException ce && "UNAVAILABLE".equals(ce.code());
  }

  /** Marks {@code key} as having an entry on its way to the log until {@code proposal} settles. */
  private <T> Future<T> tracked(PresenceLedger.Key key, Future<T> proposal) {
    presence.proposing(key);
    return proposal.onComplete(x -> presence.settled(key));
  }

  /**
   * Proposes what the log misses of this pod's clients' presence (see {@link PresenceLedger}); runs
   * every maintenance period while a quorum is reachable.
   */
  private void reconcilePresence() {
    ChatState s = state;
    if (s == null || stopping || !status.available()) {
      return;
    }
    for (PresenceLedger.Correction c :
        presence.corrections(
            s.presenceOn(node),
            k -> s.presenceOf(k.group(), k.clientId()),
            MAX_PRESENCE_CORRECTIONS)) {
      LOG.info("{}: presence correction {}", node, c.command());
      tracked(c.key(), propose(c.command()))
          .onFailure(
              e -> LOG.debug("{}: presence correction not ordered now: {}", node, e.getMessage()));
    }
  }

  @Override
  public Future<SendResult> send(SendRequest r) {
    return propose(
            new ChatCommand.Send(
                r.group(),
                r.user(),
                r.clientId(),
                r.id(),
                r.text(),
                r.node(),
                System.currentTimeMillis()))
        .map(SendResult.class::cast);
  }

  @Override
  public Future<Void> dropNode(String node) {
    return propose(new ChatCommand.DropNode(node)).mapEmpty();
  }

  /** Runs {@code action} on this backend's context, where the fields it touches live. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  @Override
  public void eventHandler(Handler<ChatEvent> handler) {
    context.runOnContext(v -> eventHandler = handler);
  }

  @Override
  public void resyncHandler(Handler<Void> handler) {
    context.runOnContext(v -> resyncHandler = handler);
  }

  @Override
  public BackendStatus status() {
    return status;
  }

  /** The local copy of a group's history after {@code since} (at most {@code max}). */
  public List<ChatMessage> history(String group, long since, int max) {
    ChatState s = state;
    return s == null ? List.of() : s.history(group, since, max);
  }

  /**
   * Replay, gap/reset and members as a join would see them, read from the local state without going
   * through the log: answers while no quorum is reachable. Null when the group is unknown.
   */
  public JoinResult localView(String group, long since, String epoch) {
    ChatState s = state;
    return s == null ? null : s.view(group, since, epoch);
  }

  /** The local copy of a group's distinct users. */
  public List<String> members(String group) {
    ChatState s = state;
    return s == null ? List.of() : s.members(group);
  }

  // ------------------------------------------------------------------ proposals

  /** Orders a command (see {@link Proposals}); completes on this backend's context. */
  private Future<Object> propose(ChatCommand command) {
    return onContext(() -> proposals.propose(proposer, command));
  }

  /** On the leader: replicates and completes with the entry's index (after commit). */
  private Future<Long> replicate(Proposal proposal) {
    RaftNode node = raft;
    if (node == null) {
      return Future.failedFuture("not a member");
    }
    CompletableFuture<Ordered<Object>> f = node.replicate(proposal);
    return Future.fromCompletionStage(f, context).map(Ordered::getCommitIndex);
  }

  private void onApplied(Proposal proposal, Applied applied) {
    for (ChatEvent e : applied.events()) {
      try {
        eventHandler.handle(e);
      } catch (RuntimeException ex) {
        LOG.error("{}: event handler failed on {}", node, e, ex);
      }
    }
    if (proposal.origin().equals(proposer)) {
      proposals.applied(proposal, applied.result());
    }
    checkStarted();
  }

  // ------------------------------------------------------------------ event-bus handlers

  private void onPodMessage(Message<JsonObject> msg) {
    String kind = msg.headers().get(RaftAddresses.KIND);
    if (kind == null) {
      return;
    }
    try {
      switch (kind) {
        case "raft" -> onRaftMessage(msg);
        case "cmd" -> onForwardedProposal(msg);
        case "add" -> onAddRequest(msg);
        case "remove" -> onRemoveRequest(msg);
        case "found" -> discovery.offer(msg.body());
        case "removed" -> onRemovedNotice(msg);
        default -> msg.fail(400, "unknown kind " + kind);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: bad {} message: {}", node, kind, e.toString());
      if (msg.replyAddress() != null) {
        msg.fail(400, e.toString());
      }
    }
  }

  private void onRaftMessage(Message<JsonObject> msg) {
    RaftNode node = raft;
    // A recreated pod reuses its address: drop what was meant for its former incarnation.
    if (node == null || !self.getId().equals(msg.headers().get(RaftAddresses.TO))) {
      return;
    }
    RaftMessage m = codec.decode(msg.body());
    if (!m.getGroupId().equals(groupId)) {
      return;
    }
    node.handle(m);
    tellIfRemoved((PodEndpoint) m.getSender());
  }

  /**
   * A member the leader removed while it was cut off never hears from the group again and keeps
   * asking for votes. Tell it, with the index of our newer member list, so that it joins again.
   */
  private void tellIfRemoved(PodEndpoint sender) {
    RaftNodeReport r = report;
    if (r == null
        || r.getCommittedMembers().getMembers().contains(sender)
        || !r.getCommittedMembers().getMembers().contains(self)
        || r.getEffectiveMembers().getMembers().contains(sender)) {
      return;
    }
    long now = System.currentTimeMillis();
    Long last = toldRemoved.get(sender);
    if (last != null && now - last < 1000) {
      return;
    }
    if (toldRemoved.size() > 100) {
      toldRemoved.clear();
    }
    toldRemoved.put(sender, now);
    vertx
        .eventBus()
        .send(
            RaftAddresses.pod(sender.node()),
            new JsonObject().put("index", r.getCommittedMembers().getLogIndex()),
            new DeliveryOptions()
                .addHeader(RaftAddresses.KIND, "removed")
                .addHeader(RaftAddresses.FROM, node)
                .addHeader(RaftAddresses.TO, sender.getId()));
  }

  private void onRemovedNotice(Message<JsonObject> msg) {
    RaftNodeReport r = report;
    if (raft == null
        || stopping
        || r == null
        || !self.getId().equals(msg.headers().get(RaftAddresses.TO))) {
      return;
    }
    // only a member list newer than ours proves the removal
    if (msg.body().getLong("index", -1L) > r.getCommittedMembers().getLogIndex()) {
      RaftNode old = raft;
      old.terminate();
      rejoin();
    }
  }

  private void onForwardedProposal(Message<JsonObject> msg) {
    if (!isLeader() || handingOver) {
      msg.reply(notLeader());
      return;
    }
    Proposal proposal = RaftCodec.decodeProposal(msg.body());
    replicate(proposal)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                msg.reply(new JsonObject().put("ok", true).put("index", ar.result()));
              } else {
                msg.reply(
                    new JsonObject()
                        .put("ok", false)
                        .put("error", describe(ar.cause()))
                        .put("leader", status.leader()));
              }
            });
  }

  private void onAddRequest(Message<JsonObject> msg) {
    if (!isLeader()) {
      msg.reply(notLeader());
      return;
    }
    PodEndpoint joiner = PodEndpoint.parse(msg.body().getString("id"));
    List<MemberInfo> view = membershipView();
    freshReport()
        .compose(
            r ->
                r.getEffectiveMembers().getMembers().contains(joiner)
                    ? Future.succeededFuture(r.getEffectiveMembers().getLogIndex())
                    : supersede(joiner, r, view)
                        .compose(i -> changeMembership(joiner, MembershipChangeMode.ADD_LEARNER)))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                msg.reply(
                    new JsonObject()
                        .put("ok", false)
                        .put("error", describe(ar.cause()))
                        .put("leader", status.leader()));
                return;
              }
              RaftGroupMembers initial = report.getInitialMembers();
              msg.reply(
                  new JsonObject()
                      .put("ok", true)
                      .put("group", groupId)
                      .put("index", ar.result())
                      .put("initial", RaftCodec.ids(initial.getMembers()))
                      .put("initialVoting", RaftCodec.ids(initial.getVotingMembers())));
            });
  }

  /** Removes the former incarnation of {@code joiner}'s pod first, if it has one that is gone. */
  private Future<Long> supersede(PodEndpoint joiner, RaftNodeReport r, List<MemberInfo> view) {
    RaftGroupMembers committed = r.getCommittedMembers();
    if (committed.getLogIndex() != r.getEffectiveMembers().getLogIndex()) {
      return Future.succeededFuture(0L); // a change is being committed; maintenance catches up
    }
    return deadMembers
        .replacedBy(
            joiner,
            self,
            endpoints(committed.getMembers()),
            endpoints(committed.getVotingMembers()),
            view)
        .map(
            former -> {
              LOG.info(
                  "{}: {} replaces {}: removing the former member first", node, joiner, former);
              return changeMembership(former, MembershipChangeMode.REMOVE_MEMBER);
            })
        .orElse(Future.succeededFuture(0L));
  }

  private static List<PodEndpoint> endpoints(Collection<RaftEndpoint> members) {
    return members.stream().map(PodEndpoint.class::cast).toList();
  }

  private void onRemoveRequest(Message<JsonObject> msg) {
    if (!isLeader()) {
      msg.reply(notLeader());
      return;
    }
    PodEndpoint leaving = PodEndpoint.parse(msg.body().getString("id"));
    freshReport()
        .compose(
            r ->
                r.getEffectiveMembers().getMembers().contains(leaving)
                    ? changeMembership(leaving, MembershipChangeMode.REMOVE_MEMBER)
                    : Future.succeededFuture(0L))
        .onComplete(
            ar ->
                msg.reply(
                    ar.succeeded()
                        ? new JsonObject().put("ok", true)
                        : new JsonObject().put("ok", false).put("error", describe(ar.cause()))));
  }

  private void onDiscovery(Message<JsonObject> msg) {
    String from = msg.body().getValue("from") instanceof String f ? f : null;
    if (from == null || from.equals(this.node) || stopping) {
      return;
    }
    // Pods in no group answer too: a bootstrapping pod must hear "no group", not silence.
    boolean member = raft != null;
    GroupDiscovery.answer(
        vertx,
        from,
        this.node,
        member ? groupId : restoring,
        member ? status.leader() : null,
        settings.bootstrap());
  }

  // ------------------------------------------------------------------ membership (leader)

  /** One membership change at a time; completes with the log index of the change. */
  private Future<Long> changeMembership(RaftEndpoint endpoint, MembershipChangeMode mode) {
    if (membershipChangeRunning) {
      return Future.failedFuture("another membership change is running");
    }
    membershipChangeRunning = true;
    RaftNode node = raft;
    LOG.info("{}: membership change {} {}", this.node, mode, endpoint);
    return freshReport()
        .compose(
            r ->
                Future.fromCompletionStage(
                    node.changeMembership(endpoint, mode, r.getCommittedMembers().getLogIndex()),
                    context))
        .map(ordered -> ordered.getCommitIndex())
        .onComplete(
            ar -> {
              membershipChangeRunning = false;
              if (ar.failed()) {
                LOG.info(
                    "{}: membership change {} {} failed: {}",
                    this.node,
                    mode,
                    endpoint,
                    describe(ar.cause()));
              }
            });
  }

  /**
   * Periodic: refreshes the status; on the leader promotes caught-up learners, removes the dead.
   */
  private void maintain() {
    if (raft == null || stopping) {
      return;
    }
    List<MemberInfo> view = membershipView(); // also refreshes the copy the transport reads
    watchdog.check();
    freshReport()
        .onSuccess(
            r -> {
              reconcilePresence();
              if (r.getRole() != RaftRole.LEADER || membershipChangeRunning || stopping) {
                return;
              }
              RaftGroupMembers committed = r.getCommittedMembers();
              if (committed.getLogIndex() != r.getEffectiveMembers().getLogIndex()) {
                return; // a change is still being committed
              }
              List<PodEndpoint> members = endpoints(committed.getMembers());
              List<PodEndpoint> voters = endpoints(committed.getVotingMembers());
              // the gone first: promoting before removing would grow the voter set, and with it
              // the majority, while a member of it is known to be dead
              Optional<PodEndpoint> gone =
                  deadMembers.pick(System.currentTimeMillis(), self, members, voters, view);
              if (gone.isPresent()) {
                remove(gone.get(), members);
                return;
              }
              long commit = r.getLog().getCommitIndex();
              for (PodEndpoint m : members) {
                long match = r.getLog().getFollowerMatchIndices().getOrDefault(m, -1L);
                // caught up: has at least the entry that added it, and is close to the commit index
                boolean caughtUp =
                    match >= committed.getLogIndex()
                        && match >= commit - settings.promoteLagEntries();
                if (!voters.contains(m) && caughtUp && reachable(m)) {
                  changeMembership(m, MembershipChangeMode.ADD_OR_PROMOTE_TO_FOLLOWER);
                  return;
                }
              }
            });
  }

  private void remove(PodEndpoint dead, List<PodEndpoint> members) {
    LOG.info("{}: removing {}: its pod is gone", node, dead);
    changeMembership(dead, MembershipChangeMode.REMOVE_MEMBER)
        .onSuccess(
            i -> {
              boolean nodeStillServed =
                  members.stream().anyMatch(m -> !m.equals(dead) && m.node().equals(dead.node()));
              if (!nodeStillServed) {
                dropNode(dead.node());
              }
            });
  }

  /** Reads the heartbeat table (on the context only) and keeps a copy for the Raft thread. */
  private List<MemberInfo> membershipView() {
    try {
      List<MemberInfo> view = membership.get();
      membershipCopy = view == null ? List.of() : List.copyOf(view);
      return membershipCopy;
    } catch (RuntimeException e) {
      LOG.warn("{}: membership view failed: {}", node, e.toString());
      return List.of();
    }
  }

  /**
   * False for a pod that the heartbeat table says is DEAD or LEFT (or replaced). Called on the Raft
   * thread: reads the copy of the table taken on the context.
   */
  private boolean reachable(PodEndpoint endpoint) {
    for (MemberInfo row : membershipCopy) {
      if (row.node().equals(endpoint.node())
          && (row.incarnation() == null || row.incarnation().equals(endpoint.podIncarnation()))) {
        return row.state() == MemberState.ALIVE || row.state() == MemberState.SUSPECT;
      }
    }
    return true; // not (yet) in the table: give it the benefit of the doubt
  }

  // ------------------------------------------------------------------ status

  private void onReport(RaftNodeReport r) {
    if (raft == null || terminated) {
      return;
    }
    if (r.getStatus() == RaftNodeStatus.TERMINATED && !stopping) {
      rejoin();
      return;
    }
    report = r;
    // report timestamps are on MicroRaft's (scaled) clock
    status = StatusView.of(r, self, time.millis(), settings.heartbeatTimeoutMs());
    proposals.statusChanged(status);
    checkStarted();
  }

  private void checkStarted() {
    Promise<Void> p = started;
    if (p != null
        && !p.future().isComplete()
        && status.leader() != null
        && status.commitIndex() >= joinedAtIndex) {
      LOG.info(
          "{}: joined consensus group {} as {} (leader {})",
          node,
          groupId,
          status.role(),
          status.leader());
      p.tryComplete();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A report read on the Raft thread now (the node's member getters are not thread-safe). */
  private Future<RaftNodeReport> freshReport() {
    RaftNode node = raft;
    if (node == null) {
      return Future.failedFuture("not a member");
    }
    return Future.fromCompletionStage(node.getReport(), context)
        .map(
            o -> {
              if (node == raft) {
                onReport(o.getResult());
              }
              return o.getResult();
            });
  }

  private boolean isLeader() {
    RaftNodeReport r = report;
    return raft != null && !stopping && r != null && r.getRole() == RaftRole.LEADER;
  }

  private JsonObject notLeader() {
    return new JsonObject()
        .put("ok", false)
        .put("error", "not the leader")
        .put("leader", status.leader());
  }

  private Future<JsonObject> request(String target, String kind, JsonObject body, long timeoutMs) {
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(timeoutMs)
            .addHeader(RaftAddresses.KIND, kind)
            .addHeader(RaftAddresses.FROM, node);
    return vertx
        .eventBus()
        .<JsonObject>request(RaftAddresses.pod(target), body, options)
        .map(Message::body);
  }

  private static String describe(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof NotLeaderException) {
      return "not the leader";
    } else if (c instanceof CannotReplicateException) {
      return "cannot replicate now";
    } else if (c instanceof IndeterminateStateException) {
      return "leader changed while replicating";
    } else if (c instanceof ReplyException re) {
      return re.failureType() + ": " + re.getMessage();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
