package io.kubechat.pod.http;

import io.kubechat.pod.config.PodConfig;
import io.kubechat.pod.metrics.PodMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Creates a pod's two HTTP servers, each behind its own {@link ConnectionGuard}: the client port
 * ({@link ClientHttp}) and the admin port ({@link AdminApi}). Both are HTTP/1.1 only: no h2c, whose
 * connection-preface sniffing would hide a silent connection from the guard. Vert.x's own idle
 * timeout stays off, because it would also cut WebSockets, which the client idle sweep governs: the
 * guards time connections out. With {@code KUBECHAT_CLIENT_TLS_DIR} the client port speaks TLS 1.2+
 * ({@link ClientTls}); the admin port always stays plain, for the kubelet's probes and the
 * operator.
 */
public final class HttpServers {
  private HttpServers() {}

  /**
   * @param acceptingClients false while starting or draining (upgrades get 503)
   * @param sessions takes every accepted WebSocket and what to run once it has closed
   */
  public static HttpServer client(
      Vertx vertx,
      PodConfig config,
      PodMetrics metrics,
      BooleanSupplier acceptingClients,
      BiConsumer<ServerWebSocket, Runnable> sessions) {
    ConnectionGuard guard =
        guard(vertx, "client", config, config.httpLimits().maxConnections(), metrics);
    // frames up to 4 x the frame limit are read (and refused as TOO_LARGE), larger ones cut off
    int hardCap = (int) Math.min(Integer.MAX_VALUE, 4L * config.maxFrameBytes());
    return vertx
        .createHttpServer(
            options(config, config.httpPort())
                .setMaxWebSocketFrameSize(hardCap)
                .setMaxWebSocketMessageSize(hardCap)
                .setWebSocketClosingTimeout(2)
                .setSsl(config.clientTls().isPresent())
                .setKeyCertOptions(config.clientTls().map(ClientTls::keyCert).orElse(null))
                .setEnabledSecureTransportProtocols(ClientTls.PROTOCOLS)
                // a connection that never finishes its handshake is cut like a slow request head
                .setSslHandshakeTimeout(config.httpLimits().headerTimeoutS())
                .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS))
        .connectionHandler(guard::onConnection)
        .requestHandler(new ClientHttp(vertx, guard, acceptingClients, sessions));
  }

  /** The admin port has no connection cap: probes must get through while clients flood. */
  public static HttpServer admin(
      Vertx vertx, PodConfig config, PodMetrics metrics, StatusSource source) {
    ConnectionGuard guard = guard(vertx, "admin", config, 0, metrics);
    Router router = AdminApi.router(vertx, source);
    return vertx
        .createHttpServer(options(config, config.adminPort()))
        .connectionHandler(guard::onConnection)
        .requestHandler(
            req -> {
              if (guard.admit(req)) {
                router.handle(req);
              }
            });
  }

  private static HttpServerOptions options(PodConfig config, int port) {
    return new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(port)
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout(0);
  }

  private static ConnectionGuard guard(
      Vertx vertx, String port, PodConfig config, int maxConnections, PodMetrics metrics) {
    PodConfig.HttpLimits limits = config.httpLimits();
    return new ConnectionGuard(
        vertx,
        port,
        limits.headerTimeoutS() * 1000L,
        limits.idleTimeoutS() * 1000L,
        maxConnections,
        metrics);
  }
}
