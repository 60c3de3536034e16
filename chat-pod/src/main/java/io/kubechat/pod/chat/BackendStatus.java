package io.kubechat.pod.chat;

/**
 * The consensus view for /status: {@code role} is NONE, LEADER, FOLLOWER, LEARNER or CANDIDATE;
 * {@code leader} is null when unknown. {@code available} is false when sends cannot be ordered
 * (no quorum), with {@code reason} saying why.
 */
public record BackendStatus(String role, long term, String leader, long commitIndex,
    boolean available, String reason) {}
