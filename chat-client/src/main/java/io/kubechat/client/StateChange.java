package io.kubechat.client;

import java.time.Duration;

/**
 * A change of {@link ConnectionState}. {@code endpoint} is the server involved, {@code reason} says
 * why (close code, error), {@code retryIn} is the backoff delay before the next attempt when the
 * new state is {@link ConnectionState#RECONNECTING}, {@code server} is the welcome when the new
 * state is {@link ConnectionState#CONNECTED}. {@code reached} tells, for {@link
 * ConnectionState#RECONNECTING}, whether the connection that ended had got through to the server
 * (false: the server was never reached: refused, unknown host, timed out).
 */
public record StateChange(
    ConnectionState previous,
    ConnectionState current,
    String endpoint,
    String reason,
    Duration retryIn,
    int attempt,
    ServerInfo server,
    boolean reached) {}
