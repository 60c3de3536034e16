package io.kubechat.pod;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.LocalGroupRouter;
import io.kubechat.pod.cluster.Heartbeats;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.kubechat.pod.cluster.MembershipTable;
import io.kubechat.pod.cluster.PodInbox;
import io.kubechat.pod.config.PodConfig;
import io.kubechat.pod.http.HttpApi;
import io.kubechat.pod.http.StatusSource;
import io.kubechat.pod.metrics.PodMetrics;
import io.kubechat.pod.ws.SessionSettings;
import io.kubechat.pod.ws.WsSessions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one pod on a single event loop: the backend, heartbeats and membership, the WebSocket
 * sessions and the HTTP API. Everything stateful (sessions, router, membership, part-1 backend)
 * is confined to this verticle's context, so none of it needs locks.
 *
 * <p>Start: inbox, backend, heartbeats, then HTTP (so peers know this incarnation before any of
 * its clients' presence arrives). Stop (SIGTERM): refuse new connections, close clients with 4001,
 * say goodbye (LEFT), stop the backend, close the server.
 */
public final class ChatPod extends VerticleBase implements StatusSource {
  private static final Logger LOG = LoggerFactory.getLogger(ChatPod.class);

  private final PodConfig config;
  private final PodIdentity id;
  private final PodInbox inbox;
  private final ChatBackend backend;
  private final PodMetrics metrics;
  private final BooleanSupplier clusterJoined;
  private final LocalGroupRouter router = new LocalGroupRouter();
  private final MembershipTable members;
  /** Written on the pod's context, read by /status from the same context. */
  private final AtomicReference<List<MemberInfo>> lastSnapshot = new AtomicReference<>(List.of());
  private Heartbeats heartbeats;
  private WsSessions sessions;
  private HttpServer server;
  private volatile boolean serving;
  private volatile boolean draining;

  public ChatPod(PodConfig config, PodIdentity id, PodInbox inbox, MembershipTable members,
      ChatBackend backend, PodMetrics metrics, BooleanSupplier clusterJoined) {
    this.config = config;
    this.id = id;
    this.inbox = inbox;
    this.backend = backend;
    this.metrics = metrics;
    this.clusterJoined = clusterJoined;
    this.members = members;
  }

  @Override
  public Future<?> start() {
    sessions = new WsSessions(new SessionSettings(vertx, id.node(), id.incarnation(), id.version(),
        config.maxFrameBytes(), config.maxTextBytes(), config.maxGroupsPerClient(),
        config.outboundQueueFrames(), config.rateLimitPerS(), config.clientIdleTimeoutS() * 1000L,
        backend, router, metrics));
    metrics.clientsGauge(sessions::count);
    for (MemberState state : MemberState.values()) {
      metrics.membersGauge(state.name(), () -> lastSnapshot.get().stream().filter(m -> m.state() == state).count());
    }
    backend.eventHandler(this::onEvent);
    heartbeats = new Heartbeats(vertx, id.node(), id.incarnation(), config.heartbeatIntervalMs(), inbox,
        members, sessions::count, metrics::heartbeatsMissed, this::onTransition);
    int hardCap = (int) Math.min(Integer.MAX_VALUE, 4L * config.maxFrameBytes());
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost()).setPort(config.httpPort())
        .setMaxWebSocketFrameSize(hardCap).setMaxWebSocketMessageSize(hardCap)
        .setWebSocketClosingTimeout(2)
        .setIdleTimeout(0);
    server = vertx.createHttpServer(options)
        .webSocketHandshakeHandler(hs -> {
          if (!"/ws".equals(hs.path())) {
            hs.reject(404);
          } else if (draining || !backend.status().available()) {
            hs.reject(503);
          } else {
            hs.accept();
          }
        })
        .webSocketHandler(sessions::open)
        .requestHandler(HttpApi.router(vertx, this));
    return inbox.start()
        .compose(v -> backend.start())
        .compose(v -> heartbeats.start())
        .compose(v -> server.listen())
        .onSuccess(s -> {
          sessions.startIdleSweep();
          vertx.setPeriodic(config.heartbeatIntervalMs(), t -> lastSnapshot.set(members.snapshot(now())));
          serving = true;
          LOG.info("pod {} (incarnation {}) serving on http://{}:{}/", id.node(), id.incarnation(),
              config.httpHost(), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    LOG.info("pod {} shutting down", id.node());
    draining = true;
    serving = false;
    sessions.closeAllForShutdown();
    Promise<Void> goodbyeSent = Promise.promise();
    heartbeats.stop().onComplete(ar -> vertx.setTimer(300, t -> goodbyeSent.complete()));
    return goodbyeSent.future()
        .compose(v -> backend.stop().recover(e -> Future.succeededFuture()))
        .compose(v -> inbox.stop().recover(e -> Future.succeededFuture()))
        .compose(v -> server.close())
        .onComplete(ar -> LOG.info("pod {} stopped serving; leaving the cluster", id.node()));
  }

  private void onEvent(ChatEvent event) {
    router.route(event);
  }

  private void onTransition(MembershipTable.Transition t) {
    lastSnapshot.set(members.snapshot(now()));
    // A pod that is gone, or restarted (its old incarnation is gone), loses its presence entries.
    if (t.to() == MemberState.DEAD || t.to() == MemberState.LEFT || (t.restarted() && t.from() != null)) {
      backend.dropNode(t.node());
    }
  }

  @Override
  public String notReadyReason() {
    if (draining) {
      return "shutting down";
    }
    if (!serving) {
      return "starting";
    }
    if (!clusterJoined.getAsBoolean()) {
      return "not joined to the cluster";
    }
    BackendStatus b = backend.status();
    if (!b.available()) {
      return "chat backend unavailable: " + b.reason();
    }
    return null;
  }

  @Override
  public JsonObject status() {
    BackendStatus b = backend.status();
    String reason = notReadyReason();
    JsonArray rows = new JsonArray().add(new JsonObject().put("node", id.node())
        .put("incarnation", id.incarnation()).put("state", MemberState.ALIVE.name())
        .put("lastSeenMillisAgo", 0).put("hearsUs", true).put("self", true));
    // /status runs on the pod's context (the HTTP server was created there): read the table live.
    for (MemberInfo m : members.snapshot(now())) {
      rows.add(new JsonObject().put("node", m.node()).put("incarnation", m.incarnation())
          .put("state", m.state().name()).put("lastSeenMillisAgo", m.lastSeenMillisAgo())
          .put("hearsUs", m.hearsUs()).put("self", false));
    }
    return new JsonObject()
        .put("node", id.node())
        .put("incarnation", id.incarnation())
        .put("version", id.version())
        .put("ready", reason == null)
        .put("reason", reason)
        .put("role", b.role())
        .put("term", b.term())
        .put("leader", b.leader())
        .put("commitIndex", b.commitIndex())
        .put("clients", sessions == null ? 0 : sessions.count())
        .put("groups", router.groupCount())
        .put("members", rows);
  }

  @Override
  public String metrics() {
    return metrics.scrape();
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
