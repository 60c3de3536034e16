package io.kubechat.client.connection;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Pings the server every {@code interval} and declares the connection dead when a ping stays
 * unanswered for {@code timeout}. Used on the client's event loop only.
 */
public final class Heartbeat {
  private final Vertx vertx;
  private final Duration interval;
  private final Duration timeout;
  private final Consumer<String> sendPing;
  private final Runnable onTimeout;
  private long pingTimer = -1;
  private long timeoutTimer = -1;
  private long counter;
  private boolean stopped;

  public Heartbeat(
      Vertx vertx,
      Duration interval,
      Duration timeout,
      Consumer<String> sendPing,
      Runnable onTimeout) {
    this.vertx = vertx;
    this.interval = interval;
    this.timeout = timeout;
    this.sendPing = sendPing;
    this.onTimeout = onTimeout;
  }

  public void start() {
    pingTimer = vertx.setPeriodic(interval.toMillis(), id -> ping());
  }

  private void ping() {
    if (stopped) {
      return;
    }
    sendPing.accept(Long.toString(++counter));
    if (timeoutTimer == -1) {
      // The oldest unanswered ping sets the deadline; later pings do not push it back.
      timeoutTimer =
          vertx.setTimer(
              timeout.toMillis(),
              id -> {
                timeoutTimer = -1;
                if (!stopped) {
                  stop();
                  onTimeout.run();
                }
              });
    }
  }

  /** Any pong proves the connection alive. */
  public void onPong() {
    if (timeoutTimer != -1) {
      vertx.cancelTimer(timeoutTimer);
      timeoutTimer = -1;
    }
  }

  public void stop() {
    stopped = true;
    if (pingTimer != -1) {
      vertx.cancelTimer(pingTimer);
      pingTimer = -1;
    }
    onPong();
  }
}
