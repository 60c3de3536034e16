package io.kubechat.pod.chat;

/**
 * One ordered message of a group. {@code seq} grows by exactly one per message within an {@code
 * epoch}; a new epoch means the group's history was lost and numbering started again. {@code node}
 * is the pod the sender was connected to; {@code ts} is epoch milliseconds.
 */
public record ChatMessage(
    String group,
    long seq,
    String epoch,
    String from,
    String clientId,
    String id,
    String text,
    long ts,
    String node) {}
