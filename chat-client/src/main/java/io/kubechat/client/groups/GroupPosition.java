package io.kubechat.client.groups;

/** How far a client has read a group: the last {@code seq} delivered in {@code epoch}. */
public record GroupPosition(String epoch, long lastSeq) {}
