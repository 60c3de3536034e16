package io.kubechat.pod.raft;

import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.microraft.MembershipChangeMode;
import io.microraft.RaftEndpoint;
import io.microraft.report.RaftGroupMembers;
import io.microraft.report.RaftNodeReport;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's membership as its leader keeps it: adds joiners as learners (removing the former
 * member of a replaced pod first), removes members that leave or whose pod is gone, promotes
 * caught-up learners, and tells a removed member that keeps talking. One change at a time. Confined
 * to the backend's context, except {@link #reachable}, which the Raft thread calls.
 */
final class MembershipKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipKeeper.class);

  private final RaftMember member;
  private final RaftSettings settings;
  private final PodRpc rpc;
  private final Supplier<List<MemberInfo>> membership;
  private final DeadMemberPolicy deadMembers;
  private final Consumer<String> dropNode;
  private final Map<PodEndpoint, Long> toldRemoved = new HashMap<>();
  private boolean changeRunning;
  private PodEndpoint lastRefused;
  private volatile List<MemberInfo> membershipCopy = List.of();

  /**
   * @param membership the pod heartbeat table (see {@link RaftChatBackend})
   * @param dropNode proposes that a pod no member serves any more is gone (its clients leave)
   */
  MembershipKeeper(
      RaftMember member,
      RaftSettings settings,
      PodRpc rpc,
      Supplier<List<MemberInfo>> membership,
      Consumer<String> dropNode) {
    this.member = member;
    this.settings = settings;
    this.rpc = rpc;
    this.membership = membership;
    this.deadMembers = new DeadMemberPolicy(settings.memberRemovalTimeoutS() * 1000);
    this.dropNode = dropNode;
  }

  /** Reads the heartbeat table (on the context only) and keeps a copy for the Raft thread. */
  List<MemberInfo> membershipView() {
    try {
      List<MemberInfo> view = membership.get();
      membershipCopy = view == null ? List.of() : List.copyOf(view);
      return membershipCopy;
    } catch (RuntimeException e) {
      LOG.warn("{}: membership view failed: {}", member.node(), e.toString());
      return List.of();
    }
  }

  /**
   * False for a pod that the heartbeat table says is DEAD or LEFT (or replaced). Called on the Raft
   * thread: reads the copy of the table taken on the context.
   */
  boolean reachable(PodEndpoint endpoint) {
    for (MemberInfo row : membershipCopy) {
      if (row.node().equals(endpoint.node())
          && (row.incarnation() == null || row.incarnation().equals(endpoint.podIncarnation()))) {
        return row.state() == MemberState.ALIVE || row.state() == MemberState.SUSPECT;
      }
    }
    return true; // not (yet) in the table: give it the benefit of the doubt
  }

  /** One membership change at a time; completes with the log index of the change. */
  Future<Long> change(RaftEndpoint endpoint, MembershipChangeMode mode) {
    if (changeRunning) {
      return Future.failedFuture("another membership change is running");
    }
    changeRunning = true;
    LOG.info("{}: membership change {} {}", member.node(), mode, endpoint);
    return member
        .changeMembership(endpoint, mode)
        .onComplete(
            ar -> {
              changeRunning = false;
              if (ar.failed()) {
                LOG.info(
                    "{}: membership change {} {} failed: {}",
                    member.node(),
                    mode,
                    endpoint,
                    PodRpc.describe(ar.cause()));
              }
            });
  }

  // ------------------------------------------------------------------ requests from other pods

  void onAddRequest(Message<JsonObject> msg) {
    if (!member.isLeader()) {
      msg.reply(PodRpc.notLeader(member.status().leader()));
      return;
    }
    PodEndpoint joiner = PodEndpoint.parse(msg.body().getString("id"));
    List<MemberInfo> view = membershipView();
    member
        .freshReport()
        .compose(
            r -> {
              if (r.getEffectiveMembers().getMembers().contains(joiner)) {
                return Future.succeededFuture(r.getEffectiveMembers().getLogIndex());
              }
              Optional<PodEndpoint> holder = liveHolderOfName(joiner, r);
              if (holder.isPresent()) {
                warnImpostor(joiner, holder.get());
                return Future.failedFuture(
                    "pod name " + joiner.node() + " is held by a live member");
              }
              return supersede(joiner, r, view)
                  .compose(i -> change(joiner, MembershipChangeMode.ADD_LEARNER));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                msg.reply(PodRpc.refused(PodRpc.describe(ar.cause()), member.status().leader()));
                return;
              }
              RaftGroupMembers initial = member.report().getInitialMembers();
              msg.reply(
                  new JsonObject()
                      .put("ok", true)
                      .put("group", member.groupId())
                      .put("index", ar.result())
                      .put("initial", RaftCodec.ids(initial.getMembers()))
                      .put("initialVoting", RaftCodec.ids(initial.getVotingMembers())));
            });
  }

  /**
   * A member under {@code joiner}'s pod name that still answers this leader: pod names are unique
   * among running pods, so the joiner is a second process claiming a live pod's name (a
   * misconfiguration or an impostor), and adding it would split the pod's address between two.
   */
  private Optional<PodEndpoint> liveHolderOfName(PodEndpoint joiner, RaftNodeReport r) {
    Set<PodEndpoint> answering = member.answering(r);
    return endpoints(r.getCommittedMembers().getMembers()).stream()
        .filter(m -> m.node().equals(joiner.node()) && !m.equals(joiner))
        .filter(answering::contains)
        .findFirst();
  }

  /** Logs a refused name claim once per joiner (it asks again about once a second). */
  private void warnImpostor(PodEndpoint joiner, PodEndpoint holder) {
    if (!joiner.equals(lastRefused)) {
      lastRefused = joiner;
      LOG.warn(
          "{}: refusing {} as a member: its pod name is held by {}, which is alive",
          member.node(),
          joiner,
          holder);
    }
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
            member.self(),
            endpoints(committed.getMembers()),
            endpoints(committed.getVotingMembers()),
            view,
            member.answering(r))
        .map(
            former -> {
              LOG.info(
                  "{}: {} replaces {}: removing the former member first",
                  member.node(),
                  joiner,
                  former);
              return change(former, MembershipChangeMode.REMOVE_MEMBER);
            })
        .orElse(Future.succeededFuture(0L));
  }

  void onRemoveRequest(Message<JsonObject> msg) {
    if (!member.isLeader()) {
      msg.reply(PodRpc.notLeader(member.status().leader()));
      return;
    }
    PodEndpoint leaving = PodEndpoint.parse(msg.body().getString("id"));
    member
        .freshReport()
        .compose(
            r ->
                r.getEffectiveMembers().getMembers().contains(leaving)
                    ? change(leaving, MembershipChangeMode.REMOVE_MEMBER)
                    : Future.succeededFuture(0L))
        .onComplete(
            ar ->
                msg.reply(
                    ar.succeeded()
                        ? new JsonObject().put("ok", true)
                        : new JsonObject()
                            .put("ok", false)
                            .put("error", PodRpc.describe(ar.cause()))));
  }

  /**
   * A member the leader removed while it was cut off never hears from the group again and keeps
   * asking for votes. Tell it, with the index of our newer member list, so that it joins again.
   */
  void tellIfRemoved(PodEndpoint sender) {
    RaftNodeReport r = member.report();
    if (r == null
        || r.getCommittedMembers().getMembers().contains(sender)
        || !r.getCommittedMembers().getMembers().contains(member.self())
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
    rpc.tell(
        sender.node(),
        sender.getId(),
        "removed",
        new JsonObject().put("index", r.getCommittedMembers().getLogIndex()));
  }

  // ------------------------------------------------------------------ maintenance

  /**
   * Periodic, with a fresh report: on the leader, removes a member whose pod is gone, else promotes
   * one caught-up learner.
   */
  void maintain(RaftNodeReport r, List<MemberInfo> view) {
    if (!member.isLeader() || changeRunning) {
      return;
    }
    RaftGroupMembers committed = r.getCommittedMembers();
    if (committed.getLogIndex() != r.getEffectiveMembers().getLogIndex()) {
      return; // a change is still being committed
    }
    List<PodEndpoint> members = endpoints(committed.getMembers());
    List<PodEndpoint> voters = endpoints(committed.getVotingMembers());
    // the gone first: promoting before removing would grow the voter set, and with it the
    // majority, while a member of it is known to be dead
    Optional<PodEndpoint> gone =
        deadMembers.pick(
            System.currentTimeMillis(), member.self(), members, voters, view, member.answering(r));
    if (gone.isPresent()) {
      remove(gone.get(), members);
      return;
    }
    long commit = r.getLog().getCommitIndex();
    for (PodEndpoint m : members) {
      long match = r.getLog().getFollowerMatchIndices().getOrDefault(m, -1L);
      // caught up: has at least the entry that added it, and is close to the commit index
      boolean caughtUp =
          match >= committed.getLogIndex() && match >= commit - settings.promoteLagEntries();
      if (!voters.contains(m) && caughtUp && reachable(m)) {
        change(m, MembershipChangeMode.ADD_OR_PROMOTE_TO_FOLLOWER);
        return;
      }
    }
  }

  private void remove(PodEndpoint dead, List<PodEndpoint> members) {
    LOG.info("{}: removing {}: its pod is gone", member.node(), dead);
    change(dead, MembershipChangeMode.REMOVE_MEMBER)
        .onSuccess(
            i -> {
              boolean nodeStillServed =
                  members.stream().anyMatch(m -> !m.equals(dead) && m.node().equals(dead.node()));
              if (!nodeStillServed) {
                dropNode.accept(dead.node());
              }
            });
  }

  static List<PodEndpoint> endpoints(Collection<RaftEndpoint> members) {
    return members.stream().map(PodEndpoint.class::cast).toList();
  }
}
