package io.kubechat.pod.ws;

/**
 * Token bucket per connection: {@code ratePerS} frames per second, bursts up to twice that. Frames
 * over the limit are dropped; a connection that keeps going (more dropped frames within one second
 * than its rate) is a flood and gets closed.
 */
final class RateLimiter {
  enum Verdict {
    ALLOW,
    DROP,
    FLOOD
  }

  private final double ratePerMs;
  private final double capacity;
  private final int floodThreshold;
  private double tokens;
  private long lastRefillMs;
  private long windowStartMs;
  private int droppedInWindow;

  RateLimiter(int ratePerS, long nowMs) {
    this.ratePerMs = ratePerS / 1000.0;
    this.capacity = 2.0 * ratePerS;
    this.floodThreshold = ratePerS;
    this.tokens = capacity;
    this.lastRefillMs = nowMs;
    this.windowStartMs = nowMs;
  }

  Verdict onFrame(long nowMs) {
    tokens = Math.min(capacity, tokens + (nowMs - lastRefillMs) * ratePerMs);
    lastRefillMs = nowMs;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.ALLOW;
    }
    if (nowMs - windowStartMs >= 1000) {
      windowStartMs = nowMs;
      droppedInWindow = 0;
    }
    droppedInWindow++;
    return droppedInWindow > floodThreshold ? Verdict.FLOOD : Verdict.DROP;
  }

  /** True for the first drop of a window: only that one is answered with RATE_LIMITED. */
  boolean firstDropInWindow() {
    return droppedInWindow == 1;
  }
}
