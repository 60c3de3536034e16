package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.RecoveryReport;
import io.kubechat.pod.chat.state.ChatCommand;
import io.kubechat.pod.cluster.MemberInfo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-forms the consensus group from this member after its quorum is lost for good, as etcd's {@code
 * --force-new-cluster} does: this member leaves its group, forms a new one as its only voter, and
 * writes its copy of the chat state into the new log as {@link ChatCommand.Seed} entries, so that
 * every member that joins later replays it. Each chat group gets a new epoch (clients get {@code
 * reset} and the history this pod held), because one survivor cannot prove it holds every entry the
 * former majority committed. The other members of the former group are told ({@code regrouped}) and
 * join the new one.
 *
 * <p>Only the caller can judge that the missing members are gone for good (the operator asks the
 * API server; in local mode a person decides): a former majority that is only cut off would go on
 * in the former group. Confined to the backend's context.
 */
final class QuorumRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(QuorumRecovery.class);
  private static final long LEADER_WAIT_MS = 10_000;

  /** How long the former members are told, again and again (one may be paused or cut off). */
  private static final long NOTICE_FOR_MS = 60_000;

  private static final long NOTICE_EVERY_MS = 2_000;

  private final Vertx vertx;
  private final RaftMember member;
  private final MembershipKeeper keeper;
  private final PodRpc rpc;
  private boolean running;

  QuorumRecovery(Vertx vertx, RaftMember member, MembershipKeeper keeper, PodRpc rpc) {
    this.vertx = vertx;
    this.member = member;
    this.keeper = keeper;
    this.rpc = rpc;
  }

  /** True while the new group is being formed and seeded: it takes no other entries yet. */
  boolean running() {
    return running;
  }

  Future<RecoveryReport> recover() {
    BackendStatus before = member.status();
    if (running) {
      return refused("a recovery is already running");
    }
    if (!member.running() || member.stopping()) {
      return refused("this pod is not a member of a consensus group");
    }
    if (before.available()) {
      return refused("the consensus group has a quorum (leader " + before.leader() + ")");
    }
    running = true;
    String former = member.groupId();
    String group = "kc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    return member
        .read(s -> new Copy(s.lastApplied(), s.snapshot()), null)
        .compose(
            copy -> {
              if (copy == null) {
                return Future.failedFuture("this pod's chat state cannot be read");
              }
              LOG.warn(
                  "{}: RECOVERING the lost quorum of group {}: forming group {} from this pod's"
                      + " state (log index {}, term {}, commit index {}); entries the former group"
                      + " committed after index {} are lost",
                  member.node(),
                  former,
                  group,
                  copy.lastApplied(),
                  before.term(),
                  before.commitIndex(),
                  copy.lastApplied());
              member.terminateRemoved();
              member.dropRemoved("re-forming the consensus group after losing its quorum");
              member.form(group);
              return leading(System.currentTimeMillis() + LEADER_WAIT_MS)
                  .compose(x -> seed(copy.chunks(), 0))
                  .map(
                      x ->
                          new RecoveryReport(
                              former,
                              before.term(),
                              before.commitIndex(),
                              copy.lastApplied(),
                              group,
                              copy.chunks().size() - 1));
            })
        .onSuccess(r -> tellFormerMembers(r, System.currentTimeMillis() + NOTICE_FOR_MS))
        .onComplete(
            ar -> {
              running = false;
              if (ar.failed()) {
                LOG.error("{}: quorum recovery failed: {}", member.node(), ar.cause().getMessage());
              } else {
                LOG.warn("{}: quorum recovered: {}", member.node(), ar.result());
              }
            });
  }

  /** The state read on the Raft thread: its last applied index and its snapshot chunks. */
  private record Copy(long lastApplied, List<byte[]> chunks) {}

  private static <T> Future<T> refused(String why) {
    return Future.failedFuture(new ChatException("CONFLICT", why, false));
  }

  /** Completes once this member leads its new group (a sole voter elects itself at once). */
  private Future<Void> leading(long deadline) {
    if (member.isLeader() && member.status().available()) {
      return Future.succeededFuture();
    }
    if (System.currentTimeMillis() > deadline) {
      return Future.failedFuture("the new group elected no leader");
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(
        50, t -> member.freshReport().transform(x -> leading(deadline)).onComplete(later));
    return later.future();
  }

  /** Appends the chunks as seed entries, one after another, each once committed. */
  private Future<Void> seed(List<byte[]> chunks, int part) {
    if (part == chunks.size()) {
      return Future.succeededFuture();
    }
    Proposal p = new Proposal("", 0, new ChatCommand.Seed(part, chunks.get(part)));
    return member.replicate(p).compose(i -> seed(chunks, part + 1));
  }

  /**
   * Tells every pod in the heartbeat table, every few seconds until {@code until}, that its former
   * group was re-formed here; a pod in another group ignores it.
   */
  private void tellFormerMembers(RecoveryReport r, long until) {
    if (member.stopping() || !r.group().equals(member.groupId())) {
      return;
    }
    JsonObject notice = new JsonObject().put("from", r.formerGroup()).put("group", r.group());
    for (MemberInfo m : keeper.membershipView()) {
      if (!m.node().equals(member.node())) {
        rpc.notify(m.node(), "regrouped", notice);
      }
    }
    if (System.currentTimeMillis() < until) {
      vertx.setTimer(NOTICE_EVERY_MS, t -> tellFormerMembers(r, until));
    }
  }
}
