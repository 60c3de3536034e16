package io.kubechat.client.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: attempt {@code n} (0-based) waits a uniformly random time
 * in [0, min(max, initial * 2^n)]. Full jitter spreads the reconnects of many clients whose pod
 * died at the same moment instead of having them all hit the next pod together.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final LongUnaryOperator random;

  /**
   * @param random given a bound b, returns a value in [0, b]; injectable so tests are exact
   */
  public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive: " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  public Backoff(Duration initial, Duration max) {
    this(initial, max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /** The upper bound of the delay of attempt {@code attempt}: min(max, initial * 2^attempt). */
  public long ceilingMillis(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
    }
    // Past 2^62 the shift overflows; the cap is reached long before that anyway.
    if (attempt >= 62 || initialMillis > (maxMillis >> Math.min(attempt, 62))) {
      return maxMillis;
    }
    return Math.min(maxMillis, initialMillis << attempt);
  }

  /** The delay before attempt {@code attempt}. */
  public Duration delay(int attempt) {
    long ceiling = ceilingMillis(attempt);
    long value = random.applyAsLong(ceiling);
    return Duration.ofMillis(Math.max(0, Math.min(ceiling, value)));
  }
}
