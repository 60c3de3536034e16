package io.kubechat.pod.chat;

/**
 * A client leaves {@code group} through {@code connection} (see {@link JoinRequest}); {@code
 * reason} as in {@link ChatEvent.Presence}.
 */
public record LeaveRequest(
    String group, String user, String clientId, String node, String reason, long connection) {}
