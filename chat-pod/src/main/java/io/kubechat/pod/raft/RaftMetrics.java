package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Consensus meters: {@code kubechat_raft_term}, {@code kubechat_raft_role} (0 none, 1 learner, 2
 * follower, 3 candidate, 4 leader), {@code kubechat_raft_commit_index}, {@code
 * kubechat_raft_commit_latency_seconds} (proposal to local apply, with percentiles), {@code
 * kubechat_raft_unavailable_total} and {@code kubechat_raft_watchdog_recoveries_total} (elections
 * the {@link ElectionWatchdog} started). A null registry disables them.
 */
final class RaftMetrics {

  private final Timer commitLatency;
  private final Counter unavailable;
  private final Counter watchdogRecoveries;

  RaftMetrics(MeterRegistry registry, String node, Supplier<BackendStatus> status) {
    if (registry == null) {
      commitLatency = null;
      unavailable = null;
      watchdogRecoveries = null;
      return;
    }
    Gauge.builder("kubechat.raft.term", () -> status.get().term())
        .tag("node", node)
        .description("the Raft term this member knows")
        .register(registry);
    Gauge.builder("kubechat.raft.commit.index", () -> status.get().commitIndex())
        .tag("node", node)
        .description("the last log index this member knows to be committed")
        .register(registry);
    Gauge.builder("kubechat.raft.role", () -> roleNumber(status.get().role()))
        .tag("node", node)
        .description(
            "the Raft role as a number: 0 none, 1 learner, 2 follower, 3 candidate, 4 leader")
        .register(registry);
    for (String role : List.of("NONE", "LEARNER", "FOLLOWER", "CANDIDATE", "LEADER")) {
      Gauge.builder("kubechat.raft.role.state", () -> role.equals(status.get().role()) ? 1 : 0)
          .tag("node", node)
          .tag("role", role)
          .description("1 for the Raft role this member has now, 0 for the others")
          .register(registry);
    }
    commitLatency =
        Timer.builder("kubechat.raft.commit.latency")
            .tag("node", node)
            .publishPercentiles(0.5, 0.99)
            .publishPercentileHistogram(false)
            .description("from proposing a command to its commit on this member")
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    unavailable =
        Counter.builder("kubechat.raft.unavailable")
            .tag("node", node)
            .description("commands refused as UNAVAILABLE: no leader, or no quorum")
            .register(registry);
    watchdogRecoveries =
        Counter.builder("kubechat.raft.watchdog.recoveries")
            .tag("node", node)
            .description("elections the watchdog started for a member stuck with a silent leader")
            .register(registry);
  }

  static int roleNumber(String role) {
    return switch (role) {
      case "LEARNER" -> 1;
      case "FOLLOWER" -> 2;
      case "CANDIDATE" -> 3;
      case "LEADER" -> 4;
      default -> 0;
    };
  }

  void commitLatency(long nanos) {
    if (commitLatency != null) {
      commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void unavailable() {
    if (unavailable != null) {
      unavailable.increment();
    }
  }

  void watchdogRecovery() {
    if (watchdogRecoveries != null) {
      watchdogRecoveries.increment();
    }
  }
}
