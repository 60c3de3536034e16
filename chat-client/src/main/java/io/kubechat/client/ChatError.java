package io.kubechat.client;

/**
 * An error reported to the application: an {@code error} frame of the server that no pending
 * operation claimed, or a local problem such as an undecodable frame ({@code local} true, codes
 * {@code BAD_FRAME}, {@code UNKNOWN_FRAME}).
 */
public record ChatError(
    String code, String message, String ref, boolean retryable, boolean local) {}
