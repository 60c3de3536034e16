package io.kubechat.pod;

import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.cluster.HazelcastConfigFactory;
import io.kubechat.pod.cluster.MembershipTable;
import io.kubechat.pod.cluster.PodInbox;
import io.kubechat.pod.config.PodConfig;
import io.kubechat.pod.eventbus.ClusterTls;
import io.kubechat.pod.eventbus.EventBusGuard;
import io.kubechat.pod.metrics.PodMetrics;
import io.kubechat.pod.raft.RaftChatBackend;
import io.kubechat.pod.raft.store.MemberDirectory;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pod: a clustered Vert.x (Hazelcast) bound to the pod IP, then the {@link ChatPod}
 * verticle with its {@link ChatBackend}. Used by {@link ChatPodMain} and by in-process tests.
 */
public final class PodLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(PodLauncher.class);

  /** The event bus's own failure detection between nodes: ping every second. */
  static final long EVENTBUS_PING_MS = 1000;

  /** A member certificate this close to its end is warned about at start. */
  private static final Duration CERT_WARNING = Duration.ofDays(30);

  private final Vertx vertx;
  private final String deploymentId;
  private final ChatPod pod;

  private PodLauncher(Vertx vertx, String deploymentId, ChatPod pod) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.pod = pod;
  }

  public static Future<PodLauncher> start(PodConfig config) {
    RaftPersistence persistence = persistence(config);
    PodIdentity id = PodIdentity.of(config.nodeName(), persistence.memberId());
    PodMetrics metrics = new PodMetrics();
    HazelcastClusterManager cluster =
        new HazelcastClusterManager(HazelcastConfigFactory.create(config));
    EventBusGuard guard =
        new EventBusGuard(
            config.podIp(), config.eventBusPort(), config.eventBusMaxFrameBytes(), metrics);
    VertxOptions options =
        new VertxOptions()
            .setMetricsOptions(
                new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true))
            .setEventBusOptions(eventBusOptions(config));
    return Vertx.builder()
        .with(options)
        .withClusterManager(cluster)
        .withTransport(guard.transport())
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .buildClustered()
        .onSuccess(guard::install)
        .compose(
            vertx -> {
              PodInbox inbox = new PodInbox(vertx.eventBus(), id.node(), id.process());
              // Peers as heard by heartbeats; the pod hands the backend immutable snapshots of it.
              MembershipTable members =
                  new MembershipTable(config.heartbeatIntervalMs(), config.heartbeatTimeoutMs());
              // The message path: a Raft log (docs/consensus.md), created on the pod's context.
              ChatPod pod =
                  new ChatPod(
                      config,
                      id,
                      inbox,
                      members,
                      membership ->
                          new RaftChatBackend(
                              vertx,
                              id.node(),
                              persistence,
                              config.raft(),
                              membership,
                              metrics.registry()),
                      metrics,
                      cluster::isActive);
              return vertx
                  .deployVerticle(pod)
                  .map(depId -> new PodLauncher(vertx, depId, pod))
                  .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
            });
  }

  /** Bound to the pod IP; mutual TLS with the cluster CA when the pod has certificates. */
  private static EventBusOptions eventBusOptions(PodConfig config) {
    EventBusOptions eb =
        new EventBusOptions()
            .setHost(config.podIp())
            .setPort(config.eventBusPort())
            .setClusterPublicHost(config.podIp())
            .setClusterPublicPort(config.eventBusPort())
            .setClusterPingInterval(EVENTBUS_PING_MS)
            .setClusterPingReplyInterval(EVENTBUS_PING_MS)
            .setConnectTimeout(2000);
    if (config.clusterTls().isEmpty()) {
      LOG.warn(
          "no KUBECHAT_CLUSTER_TLS_DIR: this pod runs an OPEN cluster. Any process that reaches"
              + " the event-bus port {} and the Hazelcast port {} can take part (read and write"
              + " every group, vote); only the frame guard protects the pod. See docs/security.md",
          config.eventBusPort(),
          config.hazelcastPort());
      return eb;
    }
    ClusterTls tls = config.clusterTls().get();
    if (tls.expiresWithin(CERT_WARNING)) {
      LOG.warn(
          "the cluster member certificate {} expires at {}: rotate it (docs/security.md)",
          tls.cert(),
          tls.certNotAfter());
    }
    LOG.info(
        "closed cluster: the event bus accepts only mutual TLS with certificates of {}", tls.ca());
    return tls.apply(eb);
  }

  /** The data directory's member, or an in-memory one (blocking: runs before Vert.x starts). */
  private static RaftPersistence persistence(PodConfig config) {
    if (config.dataDir().isEmpty()) {
      LOG.warn(
          "no KUBECHAT_DATA_DIR: the Raft state is kept in memory only, so a restart of this pod"
              + " makes it a new consensus member");
      return RaftPersistence.inMemory(PodIdentity.randomId());
    }
    return MemberDirectory.open(
        config.dataDir().get(), config.clusterName(), config.nodeName(), config.podUid());
  }

  public ChatPod pod() {
    return pod;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Graceful stop: the pod's own shutdown, then leave the cluster and close Vert.x. Vert.x is
   * closed from a plain thread: a close started on one of its own event loops completes on a loop
   * that is already gone and never reports back.
   */
  public CompletableFuture<Void> stop() {
    long t0 = System.nanoTime();
    return vertx
        .undeploy(deploymentId)
        .toCompletionStage()
        .toCompletableFuture()
        .handle(
            (v, e) -> {
              if (e != null) {
                LOG.warn("pod stop failed: {}", e.toString());
              }
              return (Void) null;
            })
        .thenComposeAsync(v -> vertx.close().toCompletionStage())
        .whenComplete(
            (v, e) ->
                LOG.info(
                    "left the cluster and closed in {} ms", (System.nanoTime() - t0) / 1_000_000));
  }
}
