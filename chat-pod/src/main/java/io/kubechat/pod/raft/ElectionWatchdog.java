package io.kubechat.pod.raft;

import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftNodeStatus;
import io.microraft.RaftRole;
import io.microraft.impl.RaftNodeImpl;
import io.microraft.impl.state.RaftState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts an election that MicroRaft 0.7 would never start.
 *
 * <p>The cause (reproduced by {@code ElectionWatchdogTest}): a follower whose leader's heartbeats
 * time out starts a pre-vote; if an append from that leader arrives before the pre-vote succeeds,
 * the follower takes the leader back but keeps its pre-candidate state. Its heartbeat task starts a
 * pre-vote only when there is none, and the pre-vote timeout task only when no leader is known, so
 * once that leader dies the follower waits for it forever. Under load (late heartbeats) every
 * follower can end up so, and the group has no leader for good.
 *
 * <p>The watchdog looks for exactly that state: a follower with a known leader whose heartbeats
 * have timed out, and a pending pre-vote, for one more leader timeout. It then switches the node to
 * follower of the same term with no leader, MicroRaft's own step when a leader is lost: the vote of
 * the term is kept, so no safety rule is touched, and the next heartbeat tick starts a pre-vote.
 * This reads and calls MicroRaft internals ({@link RaftNodeImpl}); {@code ElectionWatchdogTest}
 * fails when they change. Each check runs on the node's own thread, as MicroRaft requires.
 */
final class ElectionWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(ElectionWatchdog.class);

  /** Recoveries are counted here; called on the Raft thread. */
  interface Recoveries {
    void recovered();
  }

  private final RaftNodeImpl node;
  private final String name;
  private final long silentNanos;
  private final Recoveries recoveries;
  // only read and written on the Raft node's thread
  private long stuckSinceNanos = -1;

  /**
   * @param leaderTimeoutMs the leader heartbeat timeout, in real milliseconds
   */
  ElectionWatchdog(RaftNode node, String name, long leaderTimeoutMs, Recoveries recoveries) {
    this.node = (RaftNodeImpl) node;
    this.name = name;
    this.silentNanos = leaderTimeoutMs * 1_000_000;
    this.recoveries = recoveries;
  }

  /** Schedules one check on the Raft node's thread; call it often (every maintenance tick). */
  void check() {
    try {
      node.getExecutor().execute(this::inspect);
    } catch (RuntimeException e) {
      LOG.debug("{}: no watchdog check, the Raft node is terminating: {}", name, e.toString());
    }
  }

  private void inspect() {
    RaftState state = node.state();
    RaftEndpoint leader = state.leader();
    boolean stuck =
        node.getStatus() != RaftNodeStatus.TERMINATED
            && state.role() == RaftRole.FOLLOWER
            && leader != null
            && state.preCandidateState() != null
            && node.isLeaderHeartbeatTimeoutElapsed();
    if (!stuck) {
      stuckSinceNanos = -1;
      return;
    }
    long now = System.nanoTime();
    if (stuckSinceNanos == -1) {
      stuckSinceNanos = now;
      return;
    }
    if (now - stuckSinceNanos < silentNanos) {
      return;
    }
    LOG.warn(
        "{}: leader {} silent for {} ms and no election started (MicroRaft kept a pre-vote pending"
            + " at term {}; commit index {}, last log index {}, voters {}): starting one",
        name,
        leader.getId(),
        (now - stuckSinceNanos) / 1_000_000,
        state.term(),
        state.commitIndex(),
        state.log().lastLogOrSnapshotIndex(),
        state.committedGroupMembers().getVotingMembers().size());
    stuckSinceNanos = -1;
    node.toFollower(state.term());
    recoveries.recovered();
  }
}
