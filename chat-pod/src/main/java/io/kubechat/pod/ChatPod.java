package io.kubechat.pod;

import io.kubechat.pod.auth.ClientAuthFactory;
import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.LocalGroupRouter;
import io.kubechat.pod.chat.RecoveryReport;
import io.kubechat.pod.cluster.Heartbeats;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.kubechat.pod.cluster.MembershipTable;
import io.kubechat.pod.cluster.PodInbox;
import io.kubechat.pod.config.EnvConfigLoader;
import io.kubechat.pod.config.PodConfig;
import io.kubechat.pod.http.ClientTlsReloader;
import io.kubechat.pod.http.HttpServers;
import io.kubechat.pod.http.StatusSource;
import io.kubechat.pod.metrics.PodMetrics;
import io.kubechat.pod.readiness.CommitWatch;
import io.kubechat.pod.ws.SessionSettings;
import io.kubechat.pod.ws.WsSessions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one pod on a single event loop: the backend, heartbeats and membership, the WebSocket
 * sessions and the client and admin HTTP servers. Everything stateful (sessions, router,
 * membership) is confined to this verticle's context, so none of it needs locks; the backend is
 * created on that context too, so its futures and events arrive there.
 *
 * <p>Start: inbox, heartbeats, the admin and client HTTP servers (so /healthz answers at once),
 * then the backend joins the consensus group in the background; /readyz and WebSocket upgrades wait
 * for it. Before serving clients the pod clears what a former incarnation of the same pod name left
 * in the groups. Stop (SIGTERM): refuse new connections, close clients with 4001, leave the
 * consensus group (a leader hands over first), say goodbye (LEFT), close both HTTP servers.
 */
public final class ChatPod extends VerticleBase implements StatusSource {
  private static final Logger LOG = LoggerFactory.getLogger(ChatPod.class);

  private final PodConfig config;
  private final PodIdentity id;
  private final PodInbox inbox;
  private final Function<Supplier<List<MemberInfo>>, ChatBackend> backendFactory;
  private ChatBackend backend;
  private final PodMetrics metrics;
  private final BooleanSupplier clusterJoined;
  private final LocalGroupRouter router = new LocalGroupRouter();
  private final MembershipTable members;
  private final CommitWatch commits;

  /**
   * Written on the pod's context; read there by metrics and by the backend (which calls it on this
   * same context, but any thread could: it is an immutable list).
   */
  private final AtomicReference<List<MemberInfo>> lastSnapshot = new AtomicReference<>(List.of());

  private Heartbeats heartbeats;
  private WsSessions sessions;
  private HttpServer server;
  private HttpServer adminServer;
  private Optional<ClientTlsReloader> tlsReloader = Optional.empty();
  private volatile boolean serving;

  /** The backend has joined the consensus group and this pod's former presence is cleared. */
  private volatile boolean backendReady;

  private long snapshotTimer = -1;
  private volatile boolean draining;

  /**
   * @param backendFactory creates the message path on this verticle's context, given the latest
   *     immutable snapshot of the heartbeat membership table
   */
  public ChatPod(
      PodConfig config,
      PodIdentity id,
      PodInbox inbox,
      MembershipTable members,
      Function<Supplier<List<MemberInfo>>, ChatBackend> backendFactory,
      PodMetrics metrics,
      BooleanSupplier clusterJoined) {
    this.config = config;
    this.id = id;
    this.inbox = inbox;
    this.backendFactory = backendFactory;
    this.metrics = metrics;
    this.clusterJoined = clusterJoined;
    this.members = members;
    this.commits = new CommitWatch(config.readyGraceMs(), config.moveClientsAfterMs());
  }

  @Override
  public Future<?> start() {
    backend = backendFactory.apply(lastSnapshot::get);
    sessions =
        new WsSessions(
            new SessionSettings(
                vertx,
                id.node(),
                id.incarnation(),
                id.version(),
                config.maxFrameBytes(),
                config.maxTextBytes(),
                config.maxGroupsPerClient(),
                config.outboundQueueFrames(),
                config.rateLimitPerS(),
                config.clientIdleTimeoutS() * 1000L,
                backend,
                router,
                metrics,
                ClientAuthFactory.create(vertx, config.auth()),
                config.auth().reauthGraceS() * 1000L));
    metrics.clientsGauge(sessions::count);
    for (MemberState state : MemberState.values()) {
      // this pod counts as ALIVE, as /status lists it among its members
      long self = state == MemberState.ALIVE ? 1 : 0;
      metrics.membersGauge(
          state.name(),
          () -> self + lastSnapshot.get().stream().filter(m -> m.state() == state).count());
    }
    backend.eventHandler(this::onEvent);
    backend.resyncHandler(
        v -> {
          int n = sessions.closeAllForResync();
          if (n > 0) {
            LOG.warn(
                "local chat state replaced by a snapshot: {} clients asked to resume (4005)", n);
          }
        });
    heartbeats =
        new Heartbeats(
            vertx,
            id.node(),
            id.incarnation(),
            config.heartbeatIntervalMs(),
            inbox,
            members,
            () ->
                new Heartbeats.Beat(sessions.count(), backendReady && backend.status().available()),
            metrics::heartbeatsMissed,
            this::onTransition);
    server =
        HttpServers.client(
            vertx, config, metrics, () -> !draining && serving && backendReady, sessions::open);
    adminServer = HttpServers.admin(vertx, config, metrics, this);
    tlsReloader =
        config
            .clientTls()
            .map(
                tls ->
                    new ClientTlsReloader(
                        vertx,
                        server,
                        tls,
                        EnvConfigLoader.CLIENT_TLS_DIR,
                        config.clientTlsReloadS() * 1000L,
                        config.httpLimits().headerTimeoutS()));
    snapshotTimer =
        vertx.setPeriodic(
            config.heartbeatIntervalMs(),
            t -> {
              lastSnapshot.set(members.snapshot(now()));
              watchCommits();
            });
    return inbox
        .start()
        .compose(v -> heartbeats.start())
        .compose(v -> adminServer.listen())
        .compose(v -> server.listen())
        .onSuccess(
            s -> {
              sessions.startIdleSweep();
              tlsReloader.ifPresent(ClientTlsReloader::start);
              serving = true;
              LOG.info(
                  "pod {} (incarnation {}) listening on {}://{}:{}/ (admin port {}), joining the"
                      + " consensus group",
                  id.node(),
                  id.incarnation(),
                  config.clientTls().isPresent() ? "https" : "http",
                  config.httpHost(),
                  s.actualPort(),
                  adminServer.actualPort());
              joinConsensus();
            });
  }

  /**
   * Starts the backend (it completes once this pod is a caught-up member), then removes from every
   * group the clients a former incarnation of this pod name left behind, so that they are gone
   * before any client of this incarnation joins.
   */
  private void joinConsensus() {
    backend
        .start()
        .compose(
            v ->
                backend
                    .dropNode(id.node())
                    .recover(
                        e -> {
                          LOG.warn(
                              "could not clear the presence of a former incarnation: {}",
                              e.getMessage());
                          return Future.succeededFuture();
                        }))
        .onSuccess(
            v -> {
              backendReady = true;
              BackendStatus b = backend.status();
              LOG.info(
                  "pod {} serving: consensus role {}, leader {}, term {}",
                  id.node(),
                  b.role(),
                  b.leader(),
                  b.term());
            })
        .onFailure(
            e -> {
              if (!draining) {
                LOG.error("the chat backend failed to start: {}", e.getMessage());
              }
            });
  }

  @Override
  public Future<?> stop() {
    LOG.info("pod {} shutting down", id.node());
    draining = true;
    serving = false;
    vertx.cancelTimer(snapshotTimer);
    tlsReloader.ifPresent(ClientTlsReloader::stop);
    sessions.closeAllForShutdown();
    // Leave the consensus group first (a leader hands over), while peers still hear us.
    return backend
        .stop()
        .recover(e -> Future.succeededFuture())
        .compose(
            v -> {
              Promise<Void> goodbyeSent = Promise.promise();
              heartbeats.stop().onComplete(ar -> vertx.setTimer(300, t -> goodbyeSent.complete()));
              return goodbyeSent.future();
            })
        .compose(v -> inbox.stop().recover(e -> Future.succeededFuture()))
        .compose(v -> server.close())
        .compose(v -> adminServer.close())
        .onComplete(ar -> LOG.info("pod {} stopped serving; leaving the cluster", id.node()));
  }

  /** Moves this pod's clients elsewhere once it has been unable to commit for a while. */
  private void watchCommits() {
    if (!backendReady || draining) {
      return;
    }
    BackendStatus b = backend.status();
    if (commits.observe(
        b.available(), heartbeats.peersCannotCommit(config.heartbeatTimeoutMs()), now())) {
      int n = sessions.closeAllToMove();
      LOG.warn(
          "cannot commit for {} ms ({}): {} clients asked to move to another pod (4007)",
          commits.unavailableFor(now()),
          b.reason(),
          n);
    }
  }

  private void onEvent(ChatEvent event) {
    router.route(event);
  }

  private void onTransition(MembershipTable.Transition t) {
    lastSnapshot.set(members.snapshot(now()));
    // A pod that is gone loses its presence entries (through the log; repeated proposals from
    // several pods are harmless). A restarted pod clears its own before serving (joinConsensus),
    // and the Raft leader also drops the node when it removes its last member.
    if (t.to() == MemberState.DEAD || t.to() == MemberState.LEFT) {
      backend
          .dropNode(t.node())
          .onFailure(e -> LOG.debug("dropNode {} not ordered now: {}", t.node(), e.getMessage()));
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
    if (!backendReady) {
      return "joining the consensus group" + (b.reason() == null ? "" : ": " + b.reason());
    }
    if (!b.available() && !commits.withinReadyGrace(now())) {
      return "chat backend unavailable: " + b.reason();
    }
    return null;
  }

  @Override
  public JsonObject status() {
    BackendStatus b = backend.status();
    String reason = notReadyReason();
    JsonArray rows =
        new JsonArray()
            .add(
                consensusMark(
                    b,
                    new JsonObject()
                        .put("node", id.node())
                        .put("incarnation", id.incarnation())
                        .put("state", MemberState.ALIVE.name())
                        .put("lastSeenMillisAgo", 0)
                        .put("hearsUs", true)
                        .put("self", true)));
    // /status runs on the pod's context (the HTTP server was created there): read the table live.
    for (MemberInfo m : members.snapshot(now())) {
      rows.add(
          consensusMark(
              b,
              new JsonObject()
                  .put("node", m.node())
                  .put("incarnation", m.incarnation())
                  .put("state", m.state().name())
                  .put("lastSeenMillisAgo", m.lastSeenMillisAgo())
                  .put("hearsUs", m.hearsUs())
                  .put("self", false)));
    }
    JsonArray raftMembers = new JsonArray();
    for (BackendStatus.Member m : b.members()) {
      raftMembers.add(
          new JsonObject()
              .put("node", m.node())
              .put("incarnation", m.incarnation())
              .put("voter", m.voter())
              .put("leader", m.leader())
              .put("matchIndex", m.matchIndex()));
    }
    return new JsonObject()
        .put("node", id.node())
        .put("incarnation", id.incarnation())
        .put("podUid", config.podUid().orElse(null))
        .put("version", id.version())
        .put("ready", reason == null)
        .put("reason", reason)
        .put("role", b.role())
        .put("term", b.term())
        .put("leader", b.leader())
        .put("commitIndex", b.commitIndex())
        .put("group", b.group())
        .put("lastLogTerm", b.lastLogTerm())
        .put("lastLogIndex", b.lastLogIndex())
        .put("clients", sessions == null ? 0 : sessions.count())
        .put("groups", router.groupCount())
        .put("members", rows)
        .put("available", b.available())
        .put("consensusReason", b.reason())
        .put("raftMembers", raftMembers);
  }

  /**
   * Adds {@code voter} and {@code learner} to a heartbeat row: whether that pod incarnation is a
   * voting or learning member of the consensus group as this pod knows it (both false: not a
   * member, e.g. still joining or already removed).
   */
  private static JsonObject consensusMark(BackendStatus b, JsonObject row) {
    BackendStatus.Member match =
        b.members().stream()
            .filter(
                m ->
                    m.node().equals(row.getString("node"))
                        && m.incarnation().equals(row.getString("incarnation")))
            .findFirst()
            .orElse(null);
    return row.put("voter", match != null && match.voter())
        .put("learner", match != null && !match.voter());
  }

  @Override
  public String metrics() {
    return metrics.scrape();
  }

  @Override
  public Future<RecoveryReport> recoverQuorum() {
    return backend.recoverQuorum();
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
