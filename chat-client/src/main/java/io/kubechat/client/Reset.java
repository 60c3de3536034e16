package io.kubechat.client;

/** A group's history was lost: numbering restarted in the new {@code epoch}. */
public record Reset(String group, String epoch) {}
