package io.kubechat.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the operator knows about one existing pod of a cluster, from the API server and the status
 * poller, reduced to what the decisions need.
 *
 * @param name pod name
 * @param ordinal its ordinal
 * @param phase Kubernetes phase (Pending, Running, Succeeded, Failed, Unknown)
 * @param ready its Ready condition
 * @param terminating it has a deletion timestamp
 * @param terminatingSince the deletion timestamp, when terminating
 * @param started when it started (status.startTime, else its creation)
 * @param notReadySince since when it has been not ready (last transition of Ready), or null
 * @param node state of the node it runs on
 * @param leader it is the derived leader
 * @param specHash the spec hash annotation it carries
 * @param reportedDeadFor how long other members have reported it DEAD, if they do
 * @param restarts container restarts
 */
public record PodFacts(
    String name,
    int ordinal,
    String phase,
    boolean ready,
    boolean terminating,
    Instant terminatingSince,
    Instant started,
    Instant notReadySince,
    NodeState node,
    boolean leader,
    String specHash,
    Optional<Duration> reportedDeadFor,
    int restarts) {

  /** Whether the node a pod was scheduled to still exists. */
  public enum NodeState {
    /** Not scheduled yet, or the node list is not known. */
    UNKNOWN,
    PRESENT,
    GONE
  }

  public Duration age(Instant now) {
    return Duration.between(started, now);
  }
}
