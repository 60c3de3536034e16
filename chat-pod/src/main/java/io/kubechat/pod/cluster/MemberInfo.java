package io.kubechat.pod.cluster;

/**
 * One row of a pod's membership table, as /status reports it. {@code hearsUs} is true when the peer
 * acknowledged one of our recent heartbeats.
 */
public record MemberInfo(
    String node, String incarnation, MemberState state, long lastSeenMillisAgo, boolean hearsUs) {}
