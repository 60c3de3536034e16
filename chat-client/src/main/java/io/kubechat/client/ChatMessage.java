package io.kubechat.client;

/**
 * A message delivered to a group, in group order. {@code seq} grows by one per message within an
 * {@code epoch}.
 */
public record ChatMessage(
    String group,
    String from,
    String text,
    String id,
    long ts,
    String node,
    long seq,
    String epoch) {}
