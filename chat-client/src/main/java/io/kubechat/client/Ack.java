package io.kubechat.client;

/** The server ordered (committed) the message {@code id} of a group at {@code seq}. */
public record Ack(String id, String group, long seq, String epoch, long ts) {}
