package io.kubechat.client.protocol;

/** A frame from the server that is not a valid protocol frame. */
public final class FrameDecodeException extends Exception {
  private final String code;

  public FrameDecodeException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** {@code BAD_FRAME} (not a JSON object, wrong field types) or {@code UNKNOWN_FRAME}. */
  public String code() {
    return code;
  }
}
