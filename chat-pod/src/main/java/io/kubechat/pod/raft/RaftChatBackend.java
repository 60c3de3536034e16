package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.RecoveryReport;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.kubechat.pod.chat.state.Applied;
import io.kubechat.pod.chat.state.ChatCommand;
import io.kubechat.pod.chat.state.ChatState;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.micrometer.core.instrument.MeterRegistry;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.model.message.RaftMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat backend on a Raft log (MicroRaft over the event bus): every join, leave, send and node
 * drop is a log entry; every pod applies the log in order to its own {@link ChatState} and delivers
 * the resulting events to its sockets.
 *
 * <p>This class wires the parts and implements the chat API; each part has one job:
 *
 * <ul>
 *   <li>{@link RaftMember}: the MicroRaft node, its chat state and status;
 *   <li>{@link GroupJoiner}: restore, discover, join or form a group, join again after a removal;
 *   <li>{@link MembershipKeeper}: the leader's side of membership (add, remove, promote);
 *   <li>{@link GracefulLeave}: hand over and leave on stop;
 *   <li>{@link Proposals}: commands on their way to the log;
 *   <li>{@link PresenceKeeper}: joins and leaves without a quorum, and their later repair;
 *   <li>{@link PodRpc}: the messages between pods, one handler per kind.
 * </ul>
 *
 * <p>Threads: MicroRaft runs on its own single thread (see {@link ScaledTime}); everything it
 * reports (applied entries, reports, futures) hops onto this backend's Vert.x context, where the
 * mutable fields of all parts live. The {@link ChatState} is the Raft thread's alone: local reads
 * run there as MicroRaft queries ({@link RaftMember#read}).
 *
 * <p>Event-bus messages on the pod address {@code kubechat.raft.<node>} carry a {@code k} header:
 * {@code raft} (a Raft message), {@code cmd} (a proposal forwarded to the leader), {@code add} (add
 * me as a learner), {@code remove} (remove me), {@code found} (answer to a discovery request
 * published on {@link RaftAddresses#DISCOVERY}), {@code removed} (the group removed you).
 */
public final class RaftChatBackend implements ChatBackend {

  private static final Logger LOG = LoggerFactory.getLogger(RaftChatBackend.class);

  private final Vertx vertx;
  private final Context context;
  private final String node;
  private final RaftSettings settings;
  private final RaftPersistence persistence;

  /** Tags this process's proposals: a restored member's old entries are not its callers'. */
  private final String proposer;

  private final RaftMetrics metrics;
  private final RaftMember member;
  private final PodRpc rpc;
  private final MembershipKeeper keeper;
  private final GroupJoiner joiner;
  private final GracefulLeave leave;
  private final Proposals proposals;
  private final PresenceKeeper presence;
  private final QuorumRecovery recovery;

  private Handler<ChatEvent> eventHandler = e -> {};
  private Handler<Void> resyncHandler = v -> {};
  private long maintenanceTimer = -1;
  private Promise<Void> started;

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
    this.settings = settings;
    this.persistence = persistence;
    this.proposer = node + "#" + UUID.randomUUID().toString().substring(0, 8);
    this.rpc = new PodRpc(vertx, node);
    // the metrics read the member's status; the member's watchdog reports to the metrics
    this.metrics = new RaftMetrics(registry, node, this::status);
    this.member =
        new RaftMember(
            vertx,
            context,
            node,
            persistence,
            settings,
            metrics,
            new DefaultRaftModelFactory(),
            this::reachable);
    this.keeper = new MembershipKeeper(member, settings, rpc, membership, this::dropNode);
    this.proposals = new Proposals(vertx, node, settings, metrics, new Consensus());
    this.joiner =
        new GroupJoiner(
            vertx,
            member,
            settings,
            rpc,
            new GroupDiscovery(vertx, node, settings.discoveryWindowMs()),
            proposals::failAll);
    this.leave = new GracefulLeave(vertx, member, keeper, rpc, settings.sendTimeoutMs());
    this.presence = new PresenceKeeper(member, this::propose);
    this.recovery = new QuorumRecovery(vertx, member, keeper, rpc);
    member.listener(new MemberEvents());
    rpc.on("raft", this::onRaftMessage)
        .on("cmd", this::onForwardedProposal)
        .on("add", keeper::onAddRequest)
        .on("remove", keeper::onRemoveRequest)
        .on("found", msg -> joiner.offer(msg.body()))
        .on("removed", joiner::onRemovedNotice)
        .on("regrouped", joiner::onRegrouped);
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<Void> start() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        v -> {
          started = promise;
          Future<Void> listening = Future.all(rpc.listen(), joiner.listen()).mapEmpty();
          // a restored member answers discovery with its group from the first request on
          Optional<RaftPersistence.Restored> restored = joiner.takeRestored(persistence);
          listening.onSuccess(x -> joiner.start(restored)).onFailure(promise::tryFail);
          maintenanceTimer = vertx.setPeriodic(settings.maintenancePeriodMs(), id -> maintain());
        });
    return promise.future();
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(
        v -> {
          if (member.stopping()) {
            promise.complete();
            return;
          }
          member.markStopping();
          vertx.cancelTimer(maintenanceTimer);
          long deadline = System.currentTimeMillis() + 3 * settings.sendTimeoutMs();
          Future<Boolean> left =
              member.running() ? leave.leave(deadline) : Future.succeededFuture(true);
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
          member.markStopping();
          vertx.cancelTimer(maintenanceTimer);
          terminate().onComplete(x -> promise.complete());
        });
    return promise.future();
  }

  private Void forget() {
    member.forget();
    return null;
  }

  private Future<Void> terminate() {
    return member
        .terminate()
        .compose(
            x -> {
              if (started != null) {
                started.tryFail(
                    new ChatException("UNAVAILABLE", "stopped before joining a group", true));
              }
              proposals.failAll("the pod is stopping");
              return Future.all(rpc.close(), joiner.close()).<Void>mapEmpty();
            });
  }

  /**
   * Periodic: refreshes the status; repairs presence; on the leader promotes caught-up learners and
   * removes the dead.
   */
  private void maintain() {
    if (!member.running() || member.stopping()) {
      return;
    }
    List<MemberInfo> view = keeper.membershipView(); // also refreshes the transport's copy
    member.checkElection();
    member
        .freshReport()
        .onSuccess(
            r -> {
              presence.repair();
              if (!member.stopping()) {
                keeper.maintain(r, view);
              }
            });
  }

  // ------------------------------------------------------------------ the chat API

  /**
   * Joins through the log; without a quorum, answers from the local state and leaves the log entry
   * to the presence repair (see {@link PresenceKeeper}).
   */
  @Override
  public Future<JoinResult> join(JoinRequest r) {
    return onContext(() -> presence.join(r));
  }

  /** Leaves through the log; without a quorum, at once on this pod and later in the log. */
  @Override
  public Future<LeaveResult> leave(LeaveRequest r) {
    return onContext(() -> presence.leave(r));
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

  /** See {@link QuorumRecovery}; this pod's sockets resync with the re-formed state after. */
  @Override
  public Future<RecoveryReport> recoverQuorum() {
    return onContext(() -> recovery.recover().onSuccess(r -> resyncHandler.handle(null)));
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
    return member.status();
  }

  /** Whether the heartbeat table lets the transport send to {@code e} (on the Raft thread). */
  private boolean reachable(PodEndpoint e) {
    return keeper.reachable(e);
  }

  /**
   * Reads this pod's copy of the chat state on the Raft thread, the state's only thread; null
   * without a member.
   */
  public <T> Future<T> readState(Function<ChatState, T> reader) {
    return onContext(() -> member.read(reader, null));
  }

  // ------------------------------------------------------------------ proposals

  /** Orders a command (see {@link Proposals}); completes on this backend's context. */
  private Future<Object> propose(ChatCommand command) {
    return onContext(() -> proposals.propose(proposer, command));
  }

  private void onRaftMessage(Message<JsonObject> msg) {
    RaftMessage m = member.handle(msg.headers().get(RaftAddresses.TO), msg.body());
    if (m != null) {
      keeper.tellIfRemoved((PodEndpoint) m.getSender());
    }
  }

  private void onForwardedProposal(Message<JsonObject> msg) {
    if (!member.isLeader() || leave.handingOver() || recovery.running()) {
      msg.reply(PodRpc.notLeader(member.status().leader()));
      return;
    }
    member
        .replicate(RaftCodec.decodeProposal(msg.body()))
        .onComplete(
            ar ->
                msg.reply(
                    ar.succeeded()
                        ? new JsonObject().put("ok", true).put("index", ar.result())
                        : PodRpc.refused(PodRpc.describe(ar.cause()), member.status().leader())));
  }

  private void checkStarted() {
    Promise<Void> p = started;
    BackendStatus status = member.status();
    if (p != null
        && !p.future().isComplete()
        && status.leader() != null
        && status.commitIndex() >= member.joinedAtIndex()) {
      LOG.info(
          "{}: joined consensus group {} as {} (leader {})",
          node,
          member.groupId(),
          status.role(),
          status.leader());
      p.tryComplete();
    }
  }

  /** What the member reports, on this backend's context. */
  private final class MemberEvents implements RaftMember.Listener {
    @Override
    public void applied(Proposal proposal, Applied applied) {
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

    @Override
    public void restored() {
      resyncHandler.handle(null);
    }

    @Override
    public void statusChanged(BackendStatus status) {
      proposals.statusChanged(status);
      checkStarted();
    }

    @Override
    public void removedByGroup() {
      joiner.rejoin();
    }
  }

  /** What proposing needs from the member. */
  private final class Consensus implements Proposals.Consensus {
    @Override
    public BackendStatus status() {
      return member.status();
    }

    @Override
    public String refusal() {
      if (member.stopping()) {
        return "the pod is stopping";
      } else if (recovery.running()) {
        return "re-forming the consensus group after losing its quorum";
      }
      return member.running() ? null : "not a member of the consensus group";
    }

    @Override
    public Future<?> refresh() {
      return member.freshReport();
    }

    @Override
    public Future<Long> replicate(Proposal proposal) {
      return member.replicate(proposal);
    }

    @Override
    public Future<JsonObject> forward(String leader, JsonObject proposal) {
      return rpc.request(leader, "cmd", proposal, settings.forwardTimeoutMs());
    }
  }
}
