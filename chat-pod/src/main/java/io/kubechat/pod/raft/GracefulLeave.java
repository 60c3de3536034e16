package io.kubechat.pod.raft;

import io.microraft.MembershipChangeMode;
import io.microraft.RaftEndpoint;
import io.microraft.RaftRole;
import io.microraft.report.RaftNodeReport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stopping pod's way out of the group: a leader first hands leadership to the most caught-up
 * voter, then the member has the leader remove it, so that the others' majority shrinks with it
 * instead of waiting for a dead member's removal. Confined to the backend's context.
 */
final class GracefulLeave {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulLeave.class);
  private static final long RETRY_DELAY_MS = 50;

  private final Vertx vertx;
  private final RaftMember member;
  private final MembershipKeeper keeper;
  private final PodRpc rpc;
  private final long sendTimeoutMs;
  private boolean handingOver;

  GracefulLeave(
      Vertx vertx, RaftMember member, MembershipKeeper keeper, PodRpc rpc, long sendTimeoutMs) {
    this.vertx = vertx;
    this.member = member;
    this.keeper = keeper;
    this.rpc = rpc;
    this.sendTimeoutMs = sendTimeoutMs;
  }

  /** True while this leader hands over: it takes no new entries (see {@link #leave}). */
  boolean handingOver() {
    return handingOver;
  }

  /**
   * Hands over leadership if we have it, then has the leader remove us; completes with false when
   * this is the group's last voter, which stays a member (there is no one to hand over to).
   */
  Future<Boolean> leave(long deadline) {
    RaftNodeReport r = member.report();
    Future<Void> handover = Future.succeededFuture();
    if (r != null && r.getRole() == RaftRole.LEADER) {
      Optional<RaftEndpoint> successor =
          r.getCommittedMembers().getVotingMembers().stream()
              .filter(e -> !e.equals(member.self()))
              .max(
                  (a, b) ->
                      Long.compare(
                          r.getLog().getFollowerMatchIndices().getOrDefault(a, -1L),
                          r.getLog().getFollowerMatchIndices().getOrDefault(b, -1L)));
      if (successor.isEmpty()) {
        return Future.succeededFuture(false); // the last voter: nothing to hand over
      }
      LOG.info("{}: transferring leadership to {}", member.node(), successor.get());
      // MicroRaft hands over only once every appended entry is committed: stop taking new ones
      handingOver = true;
      RaftEndpoint target = successor.get();
      handover =
          quiesced(target, System.currentTimeMillis() + 1000)
              .compose(x -> member.transferLeadership(target))
              .recover(
                  err ->
                      quiesced(target, System.currentTimeMillis() + 1000)
                          .compose(x -> member.transferLeadership(target)))
              .recover(
                  err -> {
                    LOG.warn("{}: leadership transfer failed: {}", member.node(), err.getMessage());
                    return Future.succeededFuture();
                  });
    }
    return handover.compose(x -> removeSelf(deadline)).map(true);
  }

  /** Completes once everything appended is committed and {@code target} has it all. */
  private Future<Void> quiesced(RaftEndpoint target, long deadline) {
    return member
        .freshReport()
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

  private Future<Void> removeSelf(long deadline) {
    if (System.currentTimeMillis() > deadline) {
      return Future.failedFuture("timed out leaving the group");
    }
    return member
        .freshReport()
        .recover(e -> Future.succeededFuture())
        .compose(
            r -> {
              String leader = member.status().leader();
              if (member.report() != null && member.report().getRole() == RaftRole.LEADER) {
                // the handover failed: remove ourselves; MicroRaft's leader steps down once
                // committed
                return keeper
                    .change(member.self(), MembershipChangeMode.REMOVE_MEMBER)
                    .<Void>mapEmpty()
                    .recover(e -> retry(deadline));
              }
              if (leader == null || leader.equals(member.node())) {
                return retry(deadline);
              }
              return removeVia(leader, deadline);
            });
  }

  private Future<Void> retry(long deadline) {
    Promise<Void> later = Promise.promise();
    vertx.setTimer(RETRY_DELAY_MS, t -> removeSelf(deadline).onComplete(later));
    return later.future();
  }

  private Future<Void> removeVia(String leader, long deadline) {
    return rpc.request(
            leader, "remove", new JsonObject().put("id", member.self().getId()), sendTimeoutMs)
        .compose(
            reply ->
                reply.getBoolean("ok", false)
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(reply.encode()))
        .recover(err -> retry(deadline));
  }
}
