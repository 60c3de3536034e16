package io.kubechat.operator.reconcile;

import io.kubechat.operator.health.PodFacts;
import io.kubechat.operator.health.Replacement;
import io.kubechat.operator.health.ReplacementPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides creations and deletions of a cluster's pods: create missing pods (lowest free ordinals,
 * at most {@link #BATCH} joining at a time), replace unhealthy ones, then, only when nothing else
 * is going on, remove one pod to scale down (the highest-ordinal non-leader, once the previous one
 * has left the group) or roll one outdated pod (followers first, the leader last, only while every
 * pod is ready).
 */
public final class PodPlanner {
  /**
   * At most this many pods join at a time (created and not yet voters), so a large scale-up adds
   * members in batches, each after the previous one became voters (as Strimzi and CloudNativePG add
   * members step by step); a new 3-pod cluster still starts in one batch.
   */
  static final int BATCH = 3;

  private PodPlanner() {}

  /**
   * @param pods every existing pod of the cluster, terminating ones included
   * @param desired spec.replicas
   * @param desiredHash the spec hash pods should carry
   * @param formed whether the group has formed (else the lowest pod bootstraps it)
   * @param unhealthyAfter failurePolicy.unhealthyAfterSeconds
   * @param maxConcurrent failurePolicy.maxConcurrentReplacements
   * @param stuckAfter after this long a terminating pod no longer holds up new pods
   * @param notLeft members that are not current pods but that a pod still reports ALIVE or SUSPECT,
   *     i.e. removed pods that have not left the group yet
   * @param joining pods that have not become voters yet (see {@link PodViews#joining})
   * @param now the time
   */
  public static PodPlan plan(
      List<PodFacts> pods,
      int desired,
      String desiredHash,
      boolean formed,
      Duration unhealthyAfter,
      int maxConcurrent,
      Duration stuckAfter,
      Set<String> notLeft,
      Set<String> joining,
      Instant now) {
    List<PodFacts> active = pods.stream().filter(p -> !p.terminating()).toList();
    List<PodFacts> terminating = pods.stream().filter(PodFacts::terminating).toList();
    List<PodFacts> holding =
        terminating.stream()
            .filter(
                p ->
                    p.terminatingSince() == null
                        || p.terminatingSince().plus(stuckAfter).isAfter(now))
            .toList();

    List<Integer> create = new ArrayList<>();
    OptionalInt bootstrap = OptionalInt.empty();
    String activity = null;
    if (active.size() < desired) {
      int missing = desired - active.size();
      int room = Math.min(missing, BATCH - joining.size());
      if (holding.isEmpty() && room <= 0) {
        activity =
            "scaling up to "
                + desired
                + " in batches of "
                + BATCH
                + ": "
                + active.size()
                + " of "
                + desired
                + " pods, waiting for "
                + String.join(", ", new TreeSet<>(joining))
                + " to become voters";
      } else if (holding.isEmpty()) {
        Set<Integer> used =
            pods.stream().map(PodFacts::ordinal).collect(Collectors.toCollection(TreeSet::new));
        for (int o = 0; create.size() < room; o++) {
          if (!used.contains(o)) {
            create.add(o);
          }
        }
        int lowestExisting =
            active.stream().mapToInt(PodFacts::ordinal).min().orElse(Integer.MAX_VALUE);
        if (!formed && create.get(0) < lowestExisting) {
          bootstrap = OptionalInt.of(create.get(0));
        }
        activity =
            "creating "
                + create.size()
                + " pod(s) to reach "
                + desired
                + (room < missing
                    ? " (at most "
                        + BATCH
                        + " joining at a time; "
                        + (missing - room)
                        + " more later)"
                    : "");
      } else {
        activity = "waiting for " + names(holding) + " to terminate before creating pods";
      }
    }

    List<PodAction> delete = new ArrayList<>();
    for (Replacement r :
        ReplacementPolicy.decide(pods, desired, unhealthyAfter, maxConcurrent, now)) {
      delete.add(
          new PodAction(r.pod(), PodAction.Kind.REPLACE, r.reason(), r.message(), r.force()));
    }
    if (!delete.isEmpty()) {
      return new PodPlan(
          create, bootstrap, delete, "replacing " + delete.stream().map(PodAction::pod).toList());
    }
    if (!create.isEmpty() || activity != null) {
      return new PodPlan(create, bootstrap, delete, activity);
    }

    if (active.size() > desired) {
      if (!terminating.isEmpty()) {
        return idle(
            "scaling down to " + desired + ": waiting for " + names(terminating) + " to terminate");
      }
      if (!notLeft.isEmpty()) {
        return idle(
            "scaling down to "
                + desired
                + ": waiting for "
                + String.join(", ", new TreeSet<>(notLeft))
                + " to leave the group");
      }
      PodFacts victim =
          active.stream()
              .filter(p -> !p.leader())
              .max(Comparator.comparingInt(PodFacts::ordinal))
              .orElseThrow();
      return new PodPlan(
          List.of(),
          OptionalInt.empty(),
          List.of(
              new PodAction(
                  victim.name(),
                  PodAction.Kind.SCALE_DOWN,
                  "ScalingDown",
                  "removing "
                      + victim.name()
                      + " to scale from "
                      + active.size()
                      + " to "
                      + desired
                      + " pods",
                  false)),
          "scaling down to " + desired);
    }

    List<PodFacts> outdated =
        active.stream().filter(p -> !desiredHash.equals(p.specHash())).toList();
    if (!outdated.isEmpty()) {
      boolean allReady = active.stream().allMatch(PodFacts::ready);
      if (!terminating.isEmpty() || !allReady) {
        return idle(
            "rolling update: "
                + outdated.size()
                + " pod(s) outdated, waiting for every pod to be ready");
      }
      PodFacts next =
          outdated.stream()
              .min(
                  Comparator.comparing(PodFacts::leader)
                      .thenComparing(Comparator.comparingInt(PodFacts::ordinal).reversed()))
              .orElseThrow();
      return new PodPlan(
          List.of(),
          OptionalInt.empty(),
          List.of(
              new PodAction(
                  next.name(),
                  PodAction.Kind.ROLL,
                  "RollingUpdate",
                  "recreating "
                      + next.name()
                      + (next.leader() ? " (the leader, last)" : "")
                      + " with the new spec; "
                      + outdated.size()
                      + " pod(s) outdated",
                  false)),
          "rolling update: " + outdated.size() + " pod(s) outdated");
    }
    return idle(null);
  }

  private static PodPlan idle(String activity) {
    return new PodPlan(List.of(), OptionalInt.empty(), List.of(), activity);
  }

  private static String names(List<PodFacts> pods) {
    return pods.stream().map(PodFacts::name).sorted().collect(Collectors.joining(", "));
  }
}
