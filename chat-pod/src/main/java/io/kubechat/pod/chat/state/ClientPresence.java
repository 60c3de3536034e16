package io.kubechat.pod.chat.state;

/**
 * One presence entry of the replicated state: {@code clientId} of {@code user} is in {@code group}
 * through {@code node}.
 */
public record ClientPresence(String group, String clientId, String user, String node) {}
