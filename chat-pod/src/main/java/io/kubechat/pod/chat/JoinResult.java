package io.kubechat.pod.chat;

import java.util.List;

/**
 * The answer to a join: the group's current {@code epoch} and last {@code seq}, its members, and
 * the messages after the client's {@code since}, in order. {@code gapFrom}..{@code gapTo}
 * (inclusive, both -1 when none) are messages the client missed that are no longer in the history;
 * {@code reset} is true when the client's epoch is not the group's (its history was lost). {@code
 * local} is true when no quorum was reachable and the answer was read from this pod's copy of the
 * state: the join itself reaches the log once a quorum is back.
 */
public record JoinResult(
    String group,
    String epoch,
    long seq,
    List<String> members,
    List<ChatMessage> replay,
    long gapFrom,
    long gapTo,
    boolean reset,
    boolean local) {
  public JoinResult {
    members = List.copyOf(members);
    replay = List.copyOf(replay);
  }

  public boolean hasGap() {
    return gapFrom >= 0;
  }

  /** This answer, read from the local state, with the members as this pod sees them. */
  public JoinResult answeredLocally(List<String> localMembers) {
    return new JoinResult(group, epoch, seq, localMembers, replay, gapFrom, gapTo, reset, true);
  }
}
