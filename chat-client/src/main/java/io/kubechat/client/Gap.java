package io.kubechat.client;

/** Messages {@code from}..{@code to} (inclusive) of a group were missed and cannot be replayed. */
public record Gap(String group, long from, long to) {}
