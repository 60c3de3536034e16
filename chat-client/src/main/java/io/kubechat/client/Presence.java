package io.kubechat.client;

import java.util.List;

/**
 * Someone joined or left a group. {@code members} is the group's member list (distinct users,
 * sorted) after the change; {@code self} marks the answer to this client's own join or leave;
 * {@code reason} is set for {@link Kind#LEFT} ({@code leave}, {@code timeout}, {@code disconnect},
 * {@code node-gone}). {@code local} marks an answer the pod gave from its own copy because the
 * cluster had no quorum: the members are that pod's view, and messages wait until it is back.
 */
public record Presence(
    Kind kind,
    String group,
    String user,
    String clientId,
    List<String> members,
    String reason,
    boolean self,
    boolean local) {

  public Presence {
    members = List.copyOf(members);
  }

  /** Whether a member came or went. */
  public enum Kind {
    JOINED,
    LEFT
  }
}
