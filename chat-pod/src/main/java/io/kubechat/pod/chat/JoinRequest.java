package io.kubechat.pod.chat;

/**
 * A client asks to join {@code group}. {@code since} is the last seq it saw (-1 for none) in
 * {@code epoch} (null for none); the backend replays what came after it.
 */
public record JoinRequest(String group, String user, String clientId, String node, long since,
    String epoch) {}
