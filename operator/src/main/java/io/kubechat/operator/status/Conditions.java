package io.kubechat.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Merges decided conditions into the previous ones with Kubernetes semantics. */
public final class Conditions {
  private Conditions() {}

  /**
   * Returns the previous conditions with each decided one replaced; lastTransitionTime changes only
   * when the status flips. Conditions not decided (e.g. ReconcileSuccess) are kept as they were.
   */
  public static List<Condition> merge(
      List<Condition> previous, List<ConditionSpec> decided, Instant now, Long generation) {
    List<Condition> out = new ArrayList<>(previous == null ? List.of() : previous);
    for (ConditionSpec d : decided) {
      Optional<Condition> old = find(out, d.type());
      String status = d.status() ? "True" : "False";
      String since =
          old.filter(o -> status.equals(o.getStatus()))
              .map(Condition::getLastTransitionTime)
              .orElse(now.toString());
      Condition merged =
          new ConditionBuilder()
              .withType(d.type())
              .withStatus(status)
              .withReason(d.reason())
              .withMessage(d.message())
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build();
      old.ifPresentOrElse(o -> out.set(out.indexOf(o), merged), () -> out.add(merged));
    }
    return out;
  }

  /**
   * The condition {@code type} did not have {@code reason} before: an event about it is new, not a
   * repeat of every reconcile's.
   */
  public static boolean newReason(List<Condition> previous, String type, String reason) {
    return find(previous, type).map(c -> !reason.equals(c.getReason())).orElse(true);
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
