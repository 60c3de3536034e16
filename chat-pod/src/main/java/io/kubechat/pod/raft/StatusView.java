package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.microraft.RaftEndpoint;
import io.microraft.RaftRole;
import io.microraft.report.RaftNodeReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Turns a MicroRaft report into the {@link BackendStatus} that /status and /readyz show. */
final class StatusView {

  private StatusView() {}

  /**
   * @param raftNow now on MicroRaft's clock (the report's timestamps are on it)
   * @param heartbeatTimeoutMs real milliseconds of silence after which the leader (or, on the
   *     leader, a majority) counts as lost
   */
  static BackendStatus of(
      RaftNodeReport r, String group, PodEndpoint self, long raftNow, long heartbeatTimeoutMs) {
    RaftEndpoint leaderEndpoint = r.getTerm().getLeaderEndpoint();
    String leader = leaderEndpoint == null ? null : ((PodEndpoint) leaderEndpoint).node();
    boolean available;
    String reason;
    if (leader == null) {
      available = false;
      reason = "no leader";
    } else if (r.getRole() == RaftRole.LEADER) {
      long quorum = r.getQuorumHeartbeatTimestamp().orElse(raftNow);
      available = ScaledTime.toRealMillis(raftNow - quorum) < heartbeatTimeoutMs;
      reason = available ? null : "the leader does not hear a majority";
    } else {
      Optional<Long> heard = r.getLeaderHeartbeatTimestamp();
      available =
          heard.isPresent() && ScaledTime.toRealMillis(raftNow - heard.get()) < heartbeatTimeoutMs;
      reason = available ? null : "the leader has been silent";
    }
    if (!r.getCommittedMembers().getMembers().contains(self)
        && !r.getEffectiveMembers().getMembers().contains(self)) {
      available = false;
      reason = "not (yet) a member of the consensus group";
    }
    List<BackendStatus.Member> members = new ArrayList<>();
    Collection<RaftEndpoint> voting = r.getEffectiveMembers().getVotingMembers();
    for (RaftEndpoint e : r.getEffectiveMembers().getMembers()) {
      PodEndpoint p = (PodEndpoint) e;
      long match =
          r.getRole() != RaftRole.LEADER
              ? -1
              : e.equals(self)
                  ? r.getLog().getLastLogOrSnapshotIndex()
                  : r.getLog().getFollowerMatchIndices().getOrDefault(e, -1L);
      // the pod's incarnation, as the heartbeat table shows it
      members.add(
          new BackendStatus.Member(
              p.node(), p.podIncarnation(), voting.contains(e), e.equals(leaderEndpoint), match));
    }
    return new BackendStatus(
        r.getRole().name(),
        r.getTerm().getTerm(),
        leader,
        r.getLog().getCommitIndex(),
        group,
        r.getLog().getLastLogOrSnapshotTerm(),
        r.getLog().getLastLogOrSnapshotIndex(),
        available,
        reason,
        members);
  }
}
