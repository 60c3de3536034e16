package io.kubechat.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.kubechat.operator.http.OperatorHttpServer;
import io.kubechat.operator.reconcile.ChatClusterReconciler;
import io.kubechat.operator.reconcile.EventRecorder;
import io.kubechat.operator.reconcile.NodeWatch;
import io.kubechat.operator.reconcile.StatusWriter;
import io.kubechat.operator.recovery.QuorumRecoverer;
import io.kubechat.operator.recovery.RecoveryCall;
import io.kubechat.operator.resources.PodFactory;
import io.kubechat.operator.status.PodStatusPoller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator assembled: JOSDK runtime with the ChatCluster controller, the status poller, the
 * node watch, events, metrics and the HTTP endpoints. Used by {@link OperatorMain} and by tests.
 */
public final class KubechatOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubechatOperator.class);

  /**
   * How long a quorum loss must be judged before the operator recovers it: the reports of pods that
   * were just replaced settle within a poll or two.
   */
  private static final Duration RECOVERY_GRACE = Duration.ofSeconds(5);

  private final Operator operator;
  private final OperatorHttpServer http;
  private final EventRecorder events;
  private final NodeWatch nodes;
  private final OperatorMetrics metrics;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Optional<LeaseRelease> lease;

  private KubechatOperator(KubernetesClient client, OperatorConfig cfg) {
    Clock clock = Clock.systemUTC();
    String identity = identity();
    metrics = new OperatorMetrics();
    events = new EventRecorder(client, clock, identity);
    nodes = new NodeWatch(client);
    StatusWriter statusWriter = new StatusWriter();
    // The survivor answers once its new group committed the seed entries: allow it time.
    QuorumRecoverer recoverer =
        new QuorumRecoverer(
            new RecoveryCall(
                HttpClient.newBuilder().connectTimeout(cfg.pollTimeout()).build(),
                Duration.ofSeconds(20)),
            RECOVERY_GRACE,
            Duration.ofSeconds(30));
    PodStatusPoller poller =
        new PodStatusPoller(
            cfg.pollInterval(),
            cfg.pollTimeout(),
            clock,
            id -> {
              statusWriter.forget(id);
              recoverer.forget(id);
            });
    ChatClusterReconciler reconciler =
        new ChatClusterReconciler(
            new PodFactory(cfg.podImage(), cfg.clusterDomain()),
            poller,
            events,
            metrics,
            nodes,
            clock,
            cfg.resync(),
            statusWriter,
            recoverer);
    Optional<String> leaseNamespace =
        cfg.leaseNamespace()
            .or(OperatorConfig::inClusterNamespace)
            .or(() -> Optional.ofNullable(client.getNamespace()));
    lease =
        cfg.leaderElection()
            ? leaseNamespace.map(ns -> new LeaseRelease(client, ns, cfg.leaseName(), identity))
            : Optional.empty();
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // The status is written with a JSON Patch of its own (StatusWriter); the
                  // ChatCluster itself is never patched.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withConcurrentReconciliationThreads(cfg.reconcileThreads())
                  .checkingCRDAndValidateLocalModel(false);
              if (cfg.leaderElection()) {
                var le =
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(cfg.leaseName())
                        .withIdentity(identity)
                        // JOSDK's own exit would call System.exit from within stop(), which
                        // deadlocks in a shutdown path; the exit on a lost Lease is ours.
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> {}, () -> stoppedLeading(cfg.exitOnLostLease()), id -> {}));
                leaseNamespace.ifPresent(le::withLeaseNamespace);
                o.withLeaderElectionConfiguration(le.build());
              }
            });
    operator.register(
        reconciler,
        c -> {
          if (cfg.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(cfg.namespaces());
          }
        });
    try {
      http =
          new OperatorHttpServer(
              cfg.httpHost(),
              cfg.httpPort(),
              () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(),
              () -> operator.getRuntimeInfo().isStarted(),
              metrics::scrape);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + cfg.httpHost() + ":" + cfg.httpPort(), e);
    }
    LOG.info(
        "kubechat operator {} watching {}; leader election {}; http on {}:{}",
        OperatorConfig.version(),
        cfg.namespaces().isEmpty() ? "all namespaces" : cfg.namespaces(),
        cfg.leaderElection() ? "on (lease " + cfg.leaseName() + ")" : "off",
        cfg.httpHost(),
        http.port());
  }

  /** Starts the operator; it needs no server-side apply. */
  public static KubechatOperator start(KubernetesClient client, OperatorConfig cfg) {
    KubechatOperator k = new KubechatOperator(client, cfg);
    k.operator.start();
    return k;
  }

  public int httpPort() {
    return http.port();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** A Lease lost while running (not released by {@link #close}) ends the process. */
  private void stoppedLeading(boolean exit) {
    if (closing.get()) {
      return;
    }
    if (exit) {
      LOG.error("lost the Lease; exiting so that a restarted operator competes again");
      System.exit(1);
    }
    LOG.warn("lost the Lease; reconciliation stopped");
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      operator.stop();
      // JOSDK stops leading without releasing the Lease; a successor would wait out its term.
      lease.ifPresent(LeaseRelease::release);
    } finally {
      http.close();
      events.close();
      nodes.close();
    }
  }

  private static String identity() {
    return Optional.ofNullable(System.getenv("HOSTNAME"))
        .filter(h -> !h.isBlank())
        .orElseGet(
            () -> {
              try {
                return InetAddress.getLocalHost().getHostName();
              } catch (IOException e) {
                return "kubechat-operator";
              }
            });
  }
}
