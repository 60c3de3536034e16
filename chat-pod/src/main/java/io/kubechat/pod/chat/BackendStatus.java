package io.kubechat.pod.chat;

import java.util.List;

/**
 * The consensus view for /status: {@code role} is NONE, LEADER, FOLLOWER, LEARNER or CANDIDATE;
 * {@code leader} is null when unknown. {@code available} is false when sends cannot be ordered (no
 * quorum), with {@code reason} saying why. {@code members} are the consensus group's members as
 * this pod knows them (empty before it joined one). {@code group} is the consensus group's id (null
 * outside one); {@code lastLogTerm} and {@code lastLogIndex} are this member's last log entry (or
 * snapshot), by which the operator picks the most advanced survivor of a lost quorum.
 */
public record BackendStatus(
    String role,
    long term,
    String leader,
    long commitIndex,
    String group,
    long lastLogTerm,
    long lastLogIndex,
    boolean available,
    String reason,
    List<Member> members) {

  public BackendStatus {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** Outside any group, for {@code why}; the last term and commit index stay known. */
  public BackendStatus outside(String why) {
    return new BackendStatus(
        "NONE", term, null, commitIndex, null, lastLogTerm, lastLogIndex, false, why, List.of());
  }

  /**
   * One member of the consensus group: {@code voter} false means learner; {@code matchIndex} is the
   * last log index the leader knows it has (-1 when this pod is not the leader).
   */
  public record Member(
      String node, String incarnation, boolean voter, boolean leader, long matchIndex) {}
}
