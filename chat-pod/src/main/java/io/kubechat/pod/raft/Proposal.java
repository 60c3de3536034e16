package io.kubechat.pod.raft;

import io.kubechat.pod.chat.state.ChatCommand;

/**
 * A log entry's operation: a chat command tagged with the member that proposed it and its request
 * number, so that the proposer completes its caller when it applies the entry locally.
 */
public record Proposal(String origin, long requestId, ChatCommand command) {}
