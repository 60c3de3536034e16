package io.kubechat.pod.chat;

/** A failure with a protocol error code (see docs/protocol.md), e.g. UNAVAILABLE. */
public final class ChatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;
  private final boolean retryable;

  public ChatException(String code, String message, boolean retryable) {
    super(message, null, false, false);
    this.code = code;
    this.retryable = retryable;
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
