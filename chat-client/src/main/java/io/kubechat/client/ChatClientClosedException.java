package io.kubechat.client;

/** The client was closed, or failed for good, before the operation completed. */
public final class ChatClientClosedException extends RuntimeException {
  public ChatClientClosedException(String message) {
    super(message);
  }
}
