package io.kubechat.client;

/** What the server said in its {@code welcome}: the pod, its incarnation, version and limits. */
public record ServerInfo(
    String node,
    String incarnation,
    String version,
    int maxFrameBytes,
    int maxTextBytes,
    int maxGroups,
    long idleTimeoutMs) {}
