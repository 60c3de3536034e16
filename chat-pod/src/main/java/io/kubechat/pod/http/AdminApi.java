package io.kubechat.pod.http;

import io.kubechat.pod.chat.ChatException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin port of a pod (KUBECHAT_ADMIN_PORT), for the kubelet, the operator and Prometheus only:
 * {@code /healthz} (the event loop answers), {@code /readyz} (joined and serving), {@code /status}
 * (JSON the operator reads), {@code /metrics} (Prometheus text) and {@code POST
 * /admin/recover-quorum}. Clients use the client port ({@link ClientHttp}); the client Service does
 * not expose this one and the NetworkPolicy admits only the operator's namespace to it.
 */
public final class AdminApi {
  private AdminApi() {}

  public static Router router(Vertx vertx, StatusSource source) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router
        .get("/readyz")
        .handler(
            ctx -> {
              String reason = source.notReadyReason();
              if (reason == null) {
                json(ctx, 200, new JsonObject().put("ready", true));
              } else {
                json(ctx, 503, new JsonObject().put("ready", false).put("reason", reason));
              }
            });
    router.get("/status").handler(ctx -> json(ctx, 200, source.status()));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(source.metrics()));
    router.post("/admin/recover-quorum").handler(ctx -> recoverQuorum(ctx, source));
    return router;
  }

  private static void recoverQuorum(RoutingContext ctx, StatusSource source) {
    source
        .recoverQuorum()
        .onSuccess(
            r ->
                json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("recovered", true)
                        .put("formerGroup", r.formerGroup())
                        .put("formerTerm", r.formerTerm())
                        .put("formerCommitIndex", r.formerCommitIndex())
                        .put("recoveredIndex", r.recoveredIndex())
                        .put("group", r.group())
                        .put("chatGroups", r.chatGroups())))
        .onFailure(
            e ->
                json(
                    ctx,
                    e instanceof ChatException ce && "CONFLICT".equals(ce.code()) ? 409 : 500,
                    new JsonObject().put("recovered", false).put("error", e.getMessage())));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }
}
