package io.kubechat.operator.reconcile;

import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;

/**
 * What to do with a cluster's pods in this reconcile.
 *
 * @param create ordinals of pods to create
 * @param bootstrap the ordinal among {@code create} that forms a new group, if any
 * @param delete pods to delete
 * @param activity what the operator is busy with (for the status), or null when idle
 */
public record PodPlan(
    List<Integer> create, OptionalInt bootstrap, List<PodAction> delete, String activity) {
  public PodPlan {
    create = List.copyOf(create);
    delete = List.copyOf(delete);
  }

  /** This plan without its deletions, which are disruptive. */
  public PodPlan creationsOnly() {
    return new PodPlan(create, bootstrap, List.of(), activity);
  }

  /**
   * This plan without deleting any of {@code pods}: the last copies of a group that lost its quorum
   * are never replaced, however unhealthy they look, until it is recovered.
   */
  public PodPlan sparing(Collection<String> pods) {
    return new PodPlan(
        create, bootstrap, delete.stream().filter(a -> !pods.contains(a.pod())).toList(), activity);
  }
}
