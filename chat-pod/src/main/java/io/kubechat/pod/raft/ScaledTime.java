package io.kubechat.pod.raft;

import io.microraft.executor.RaftNodeExecutor;
import io.microraft.executor.impl.DefaultRaftNodeExecutor;
import io.microraft.impl.task.LeaderElectionTimeoutTask;
import io.microraft.impl.task.PreVoteTimeoutTask;
import io.microraft.lifecycle.RaftNodeLifecycleAware;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * MicroRaft counts its heartbeat period and timeout in whole seconds, which bounds failover at
 * about three seconds. All its time goes through its {@link Clock} and its executor's {@code
 * schedule}, so running both {@value #SCALE} times faster turns one MicroRaft "second" into one
 * tick of {@value #TICK_MS} ms, consistently for every timer and timestamp inside it.
 */
final class ScaledTime {

  /** How much faster MicroRaft's time runs than real time. */
  static final int SCALE = 20;

  /** Real milliseconds per MicroRaft "second". */
  static final long TICK_MS = 1000 / SCALE;

  private final long originMillis = System.currentTimeMillis();
  private final long originNanos = System.nanoTime();
  private final Clock clock = new ScaledClock();

  /** The clock to give MicroRaft. */
  Clock clock() {
    return clock;
  }

  /** Now, on MicroRaft's clock. */
  long millis() {
    return originMillis + (System.nanoTime() - originNanos) / 1_000_000L * SCALE;
  }

  /** A duration on MicroRaft's clock, in real milliseconds. */
  static long toRealMillis(long scaledMillis) {
    return scaledMillis / SCALE;
  }

  /** A real duration in whole ticks (MicroRaft "seconds"). */
  static long ticks(long realMillis) {
    return realMillis / TICK_MS;
  }

  /** A real duration in MicroRaft milliseconds. */
  static long scaledMillis(long realMillis) {
    return realMillis * SCALE;
  }

  /** A fresh executor (one thread per Raft node) whose timers run {@value #SCALE} times faster. */
  static RaftNodeExecutor executor() {
    return new ScaledExecutor(new DefaultRaftNodeExecutor());
  }

  private final class ScaledClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return ScaledTime.this.millis();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }
  }

  private static final class ScaledExecutor implements RaftNodeExecutor, RaftNodeLifecycleAware {
    private final DefaultRaftNodeExecutor delegate;

    ScaledExecutor(DefaultRaftNodeExecutor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      delegate.execute(task);
    }

    @Override
    public void submit(Runnable task) {
      delegate.submit(task);
    }

    @Override
    public void schedule(Runnable task, long delay, TimeUnit unit) {
      long micros = Math.max(1, unit.toMicros(delay) / SCALE);
      if (task instanceof LeaderElectionTimeoutTask || task instanceof PreVoteTimeoutTask) {
        // MicroRaft randomizes these timeouts by 100 of its milliseconds, which scaling shrinks to
        // 5 real ones: candidates that start together (all followers lose the same leader at
        // once) split the vote again and again. Wait one to two timeouts, as Raft intends.
        micros += ThreadLocalRandom.current().nextLong(micros);
      }
      delegate.schedule(task, micros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void onRaftNodeStart() {
      delegate.onRaftNodeStart();
    }

    @Override
    public void onRaftNodeTerminate() {
      delegate.onRaftNodeTerminate();
    }
  }
}
