package io.kubechat.pod.chat;

/** The acknowledgement of a send: where the message stands in its group's order. */
public record SendResult(String group, String id, long seq, String epoch, long ts) {}
