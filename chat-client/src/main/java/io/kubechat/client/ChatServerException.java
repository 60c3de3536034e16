package io.kubechat.client;

/** The server refused an operation with an {@code error} frame that retrying will not fix. */
public final class ChatServerException extends RuntimeException {
  private final String code;

  public ChatServerException(String code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  /** The protocol error code, e.g. {@code NOT_JOINED}, {@code TOO_LARGE}. */
  public String code() {
    return code;
  }
}
