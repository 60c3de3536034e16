package io.kubechat.client.groups;

/** What to put in a {@code join} frame: {@code since} and {@code epoch} are null when unknown. */
public record JoinSpec(String group, Long since, String epoch) {}
