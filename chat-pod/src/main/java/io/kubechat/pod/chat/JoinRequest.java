package io.kubechat.pod.chat;

/**
 * A client asks to join {@code group}. {@code since} is the last seq it saw (-1 for none) in {@code
 * epoch} (null for none); the backend replays what came after it. {@code connection} identifies the
 * client's connection on this pod: joining twice through one connection counts once, and one leave
 * through it undoes it.
 */
public record JoinRequest(
    String group,
    String user,
    String clientId,
    String node,
    long since,
    String epoch,
    long connection) {}
