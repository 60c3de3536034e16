package io.kubechat.pod.ws;

/** A refused frame: a protocol error code, a human message and the frame's {@code id} or type. */
public record FrameError(String code, String message, String ref) {
  public boolean retryable() {
    return ErrorCodes.RATE_LIMITED.equals(code)
        || ErrorCodes.UNAVAILABLE.equals(code)
        || ErrorCodes.INTERNAL.equals(code);
  }
}
