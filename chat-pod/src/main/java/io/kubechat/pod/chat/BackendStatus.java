package io.kubechat.pod.chat;

import java.util.List;

/**
 * The consensus view for /status: {@code role} is NONE, LEADER, FOLLOWER, LEARNER or CANDIDATE;
 * {@code leader} is null when unknown. {@code available} is false when sends cannot be ordered (no
 * quorum), with {@code reason} saying why. {@code members} are the consensus group's members as
 * this pod knows them (empty before it joined one).
 */
public record BackendStatus(
    String role,
    long term,
    String leader,
    long commitIndex,
    boolean available,
    String reason,
    List<Member> members) {

  public BackendStatus {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /**
   * One member of the consensus group: {@code voter} false means learner; {@code matchIndex} is the
   * last log index the leader knows it has (-1 when this pod is not the leader).
   */
  public record Member(
      String node, String incarnation, boolean voter, boolean leader, long matchIndex) {}
}
