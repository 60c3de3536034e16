package io.kubechat.pod.chat;

/** A message to order; ({@code clientId}, {@code id}) identifies it for deduplication. */
public record SendRequest(
    String group, String user, String clientId, String id, String text, String node) {}
