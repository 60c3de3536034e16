package io.kubechat.client;

import java.time.Duration;

/**
 * A change of {@link ConnectionState}. {@code endpoint} is the server involved, {@code reason} says
 * why (close code, error), {@code retryIn} is the backoff delay before the next attempt when the
 * new state is {@link ConnectionState#RECONNECTING}, {@code server} is the welcome when the new
 * state is {@link ConnectionState#CONNECTED}.
 */
public record StateChange(
    ConnectionState previous,
    ConnectionState current,
    String endpoint,
    String reason,
    Duration retryIn,
    int attempt,
    ServerInfo server) {}
