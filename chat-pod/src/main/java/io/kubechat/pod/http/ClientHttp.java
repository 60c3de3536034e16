package io.kubechat.pod.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port's request handler: the WebSocket endpoint {@code /ws} and the chat page (static
 * files); nothing else (the admin paths are on {@link AdminApi}'s port, here they are 404). Every
 * request passes the {@link ConnectionGuard} first. Upgrades are taken here rather than by a
 * WebSocket handshake handler so that the guard sees which connection became a WebSocket.
 */
public final class ClientHttp implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ClientHttp.class);

  private final ConnectionGuard guard;
  private final BooleanSupplier acceptingClients;
  private final BiConsumer<ServerWebSocket, Runnable> sessions;
  private final Router pages;

  /**
   * @param acceptingClients false while starting or draining: upgrades are refused with 503
   * @param sessions takes every accepted WebSocket and what to run once it has closed
   */
  public ClientHttp(
      Vertx vertx,
      ConnectionGuard guard,
      BooleanSupplier acceptingClients,
      BiConsumer<ServerWebSocket, Runnable> sessions) {
    this.guard = guard;
    this.acceptingClients = acceptingClients;
    this.sessions = sessions;
    this.pages = Router.router(vertx);
    pages.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (!guard.admit(req)) {
      return;
    }
    String upgrade = req.getHeader("upgrade");
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
        pages.handle(req);
      } else {
        // nothing to post here (POST /admin/recover-quorum is on the admin port)
        req.response().setStatusCode(404).end();
      }
    } else if (!"/ws".equals(req.path()) || req.method() != HttpMethod.GET) {
      req.response().setStatusCode(404).end();
    } else if (!acceptingClients.getAsBoolean()) {
      // not momentary unavailability (a leader election): sends fail fast and are retried
      req.response()
          .setStatusCode(503)
          .putHeader("content-type", "application/json")
          .end(
              new JsonObject()
                  .put("error", "UNAVAILABLE")
                  .put("message", "this pod is starting or shutting down")
                  .encode());
    } else {
      req.toWebSocket()
          .onSuccess(ws -> sessions.accept(ws, guard.upgraded(req)))
          .onFailure(e -> LOG.debug("WebSocket handshake failed: {}", e.getMessage()));
    }
  }
}
