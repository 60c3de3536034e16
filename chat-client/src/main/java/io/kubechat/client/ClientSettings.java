package io.kubechat.client;

import io.kubechat.client.tls.ClientTrust;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The validated settings of a {@link ChatClient}, as built by {@link ChatClient.Builder}; {@code
 * user} may be null when {@code tokens} is set (the token names the user), {@code tokens} is null
 * for a pod without authentication; {@code trust} says which servers {@code wss://} endpoints may
 * be.
 */
record ClientSettings(
    List<URI> endpoints,
    String user,
    String clientId,
    Duration pingInterval,
    Duration pongTimeout,
    Duration connectTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    int outboxCapacity,
    Duration answerTimeout,
    Supplier<String> tokens,
    ClientTrust trust) {}
