package io.kubechat.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The validated settings of a {@link ChatClient}, as built by {@link ChatClient.Builder}. */
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
    Duration answerTimeout) {}
