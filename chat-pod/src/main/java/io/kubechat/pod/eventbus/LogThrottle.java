package io.kubechat.pod.eventbus;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * At most one log line per interval, however often something happens: what a stranger sends must
 * never decide how fast the pod writes its log. The line that is written says how many were
 * suppressed since the last one. Thread-safe (event loops of several connections share it).
 */
public final class LogThrottle {
  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final AtomicLong nextAllowed;
  private final AtomicLong suppressed = new AtomicLong();

  public LogThrottle(Logger log, long intervalMillis) {
    this(log, intervalMillis, System::nanoTime);
  }

  LogThrottle(Logger log, long intervalMillis, LongSupplier clock) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000;
    this.clock = clock;
    this.nextAllowed = new AtomicLong(clock.getAsLong());
  }

  /** Logs {@code message} (one line, no stack trace) at WARN if the interval allows it. */
  public void warn(String message) {
    warn(message, null);
  }

  /** As {@link #warn(String)}, with {@code cause}'s stack trace if it is not null. */
  public void warn(String message, Throwable cause) {
    long now = clock.getAsLong();
    long next = nextAllowed.get();
    if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
      long skipped = suppressed.getAndSet(0);
      String line = skipped == 0 ? message : message + " (" + skipped + " more like it suppressed)";
      if (cause == null) {
        log.warn(line);
      } else {
        log.warn(line, cause);
      }
    } else {
      suppressed.incrementAndGet();
    }
  }
}
