package io.kubechat.pod.http;

import io.kubechat.pod.metrics.PodMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Polices the TCP connections of one HTTP server (docs/security.md): a connection must complete its
 * request head within the header timeout (a slowloris connection that dribbles bytes, or one that
 * sends nothing, is closed), a kept-alive connection waits at most the idle timeout for its next
 * request, and over the connection cap a connection is answered 503 and closed. A connection
 * upgraded to a WebSocket leaves both timers: the session's idle sweep and rate limit take over.
 *
 * <p>Vert.x has no header-read timeout of its own, and its idle timeout would also cut WebSockets
 * that the client idle sweep governs, so both are timers here. One timer per connection at most;
 * everything runs on the server's event loop (the pod's context), so no locks.
 */
public final class ConnectionGuard {
  static final String HEADER_TIMEOUT = "header_timeout";
  static final String IDLE_TIMEOUT = "idle_timeout";

  private final Vertx vertx;
  private final String port;
  private final long headerTimeoutMs;
  private final long idleTimeoutMs;
  private final int maxConnections;
  private final PodMetrics metrics;
  private final Map<HttpConnection, Tracked> open = new IdentityHashMap<>();
  private volatile int count;

  /**
   * @param port the server's name in metrics ({@code client} or {@code admin})
   * @param maxConnections the cap, 0 for none
   */
  public ConnectionGuard(
      Vertx vertx,
      String port,
      long headerTimeoutMs,
      long idleTimeoutMs,
      int maxConnections,
      PodMetrics metrics) {
    this.vertx = vertx;
    this.port = port;
    this.headerTimeoutMs = headerTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
    this.maxConnections = maxConnections;
    this.metrics = metrics;
    metrics.httpConnectionsGauge(port, this::count);
  }

  /** Open connections; safe to read from any thread. */
  public int count() {
    return count;
  }

  /** The server's connection handler: a new connection starts its header timer. */
  public void onConnection(HttpConnection conn) {
    boolean refused = maxConnections > 0 && open.size() >= maxConnections;
    Tracked t = new Tracked(conn, refused);
    open.put(conn, t);
    count = open.size();
    if (refused) {
      metrics.httpConnectionRefused(port);
    }
    conn.closeHandler(v -> forget(conn, t));
    t.arm(headerTimeoutMs, HEADER_TIMEOUT);
  }

  /**
   * A request head arrived. False when the connection is over the cap: it was answered 503 with a
   * JSON reason and is being closed, so the caller must not answer it.
   */
  public boolean admit(HttpServerRequest req) {
    Tracked t = open.get(req.connection());
    if (t == null) {
      return true;
    }
    t.disarm();
    if (t.refused) {
      refuse(req);
      return false;
    }
    // the next request of a kept-alive connection must come within the idle timeout
    req.response().endHandler(v -> t.arm(idleTimeoutMs, IDLE_TIMEOUT));
    return true;
  }

  /**
   * The connection of {@code req} is now a WebSocket: no HTTP timer applies to it any more. Vert.x
   * hands an upgraded channel to the WebSocket, so the connection's close handler no longer fires:
   * the caller runs the returned action when the WebSocket closes, and the connection stops
   * counting (it is idempotent).
   */
  public Runnable upgraded(HttpServerRequest req) {
    HttpConnection conn = req.connection();
    Tracked t = open.get(conn);
    if (t == null) {
      return () -> {};
    }
    t.disarm();
    t.upgraded = true;
    return () -> forget(conn, t);
  }

  private void forget(HttpConnection conn, Tracked t) {
    t.disarm();
    open.remove(conn, t);
    count = open.size();
  }

  private void refuse(HttpServerRequest req) {
    req.response()
        .setStatusCode(503)
        .putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .putHeader("retry-after", "1")
        .end(
            new JsonObject()
                .put("error", "TOO_MANY_CONNECTIONS")
                .put(
                    "message",
                    "this pod holds its limit of "
                        + maxConnections
                        + " connections (KUBECHAT_MAX_CONNECTIONS); try another pod")
                .encode())
        .onComplete(ar -> req.connection().close());
  }

  /** One connection and its single pending timer. */
  private final class Tracked {
    private final HttpConnection conn;
    private final boolean refused;
    private boolean upgraded;
    private long timer = -1;

    Tracked(HttpConnection conn, boolean refused) {
      this.conn = conn;
      this.refused = refused;
    }

    void arm(long delayMs, String reason) {
      disarm();
      if (upgraded || !open.containsKey(conn)) {
        return;
      }
      timer =
          vertx.setTimer(
              delayMs,
              id -> {
                timer = -1;
                metrics.httpConnectionTimedOut(port, reason);
                conn.close();
              });
    }

    void disarm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
