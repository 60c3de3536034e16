package io.kubechat.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The operator's Prometheus metrics. */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter reconciles;
  private final Counter errors;
  private final Counter leaderChanges;

  public OperatorMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    reconciles =
        Counter.builder("kubechat_operator_reconciles")
            .description("ChatCluster reconciliations")
            .register(registry);
    errors =
        Counter.builder("kubechat_operator_reconcile_errors")
            .description("ChatCluster reconciliations that failed")
            .register(registry);
    leaderChanges =
        Counter.builder("kubechat_operator_leader_changes")
            .description("Leader changes seen in ChatClusters")
            .register(registry);
  }

  public void reconciled() {
    reconciles.increment();
  }

  public void reconcileFailed() {
    errors.increment();
  }

  public void leaderChanged() {
    leaderChanges.increment();
  }

  public void replaced(String reason) {
    Counter.builder("kubechat_operator_pod_replacements")
        .description("Pods deleted to be replaced, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void scaled(String direction) {
    Counter.builder("kubechat_operator_scaling_steps")
        .description("Pods created or removed by scaling")
        .tag("direction", direction)
        .register(registry)
        .increment();
  }

  /** A quorum-loss recovery ended, {@code outcome} recovered or failed. */
  public void quorumRecovery(String outcome) {
    Counter.builder("kubechat_operator_quorum_recoveries")
        .description("Quorum-loss recoveries the operator ran, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
