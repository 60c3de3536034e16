package io.kubechat.pod.chat;

import java.util.List;

/**
 * The answer to a leave: the group's members right after it. {@code local} is true when no quorum
 * was reachable: the client is out of the group on this pod at once, and the leave reaches the log
 * once a quorum is back.
 */
public record LeaveResult(String group, List<String> members, boolean local) {
  public LeaveResult {
    members = List.copyOf(members);
  }
}
