package io.kubechat.pod.auth;

/**
 * Who a connection is: the user (a token's {@code sub}), the groups it may use, and when its token
 * stops being valid (wall-clock ms, skew included; {@link Long#MAX_VALUE} without a token).
 */
public record Identity(String user, GroupAccess groups, long validUntilMs) {}
