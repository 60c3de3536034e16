package io.kubechat.client.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client's tokens: asks the application's supplier for one on every (re)connect (on a worker
 * thread, so a supplier may fetch it over the network), and again before the current one runs out,
 * or when the server asks ({@code reauth}). Runs on the client's event loop.
 */
public final class TokenKeeper {
  /** Renew when this share of the token's remaining lifetime has passed. */
  private static final double RENEW_AT = 0.75;

  private final Vertx vertx;
  private final Supplier<String> supplier;
  private String current;
  private long renewTimer = -1;

  /** {@code supplier} null: no authentication, every fetch gives null. */
  public TokenKeeper(Vertx vertx, Supplier<String> supplier) {
    this.vertx = vertx;
    this.supplier = supplier;
  }

  /** A token for a new connection (null without a supplier). */
  public Future<String> fetch() {
    if (supplier == null) {
      return Future.succeededFuture(null);
    }
    return vertx
        .executeBlocking(supplier::get, false)
        .compose(
            t -> {
              if (t == null || t.isBlank()) {
                return Future.failedFuture(
                    new IllegalStateException("the token supplier gave none"));
              }
              current = t.trim();
              return Future.succeededFuture(current);
            });
  }

  /**
   * Schedules {@code renew} (with a new token) before {@code validUntilMs}; nothing without a
   * supplier or an expiry.
   */
  public void scheduleRenewal(long validUntilMs, Consumer<String> renew) {
    cancel();
    if (supplier == null || validUntilMs == Long.MAX_VALUE) {
      return;
    }
    long left = validUntilMs - System.currentTimeMillis();
    long delay = Math.max(1, (long) (left * RENEW_AT));
    renewTimer =
        vertx.setTimer(
            delay,
            id -> {
              renewTimer = -1;
              renewNow(renew);
            });
  }

  /**
   * Asks the supplier for a token and hands it to {@code renew} when it is a new one (a fixed token
   * cannot be renewed: the server then closes the connection and the client reconnects).
   */
  public void renewNow(Consumer<String> renew) {
    if (supplier == null) {
      return;
    }
    String before = current;
    fetch()
        .onSuccess(
            t -> {
              if (!t.equals(before)) {
                renew.accept(t);
              }
            });
  }

  public void cancel() {
    if (renewTimer != -1) {
      vertx.cancelTimer(renewTimer);
      renewTimer = -1;
    }
  }
}
