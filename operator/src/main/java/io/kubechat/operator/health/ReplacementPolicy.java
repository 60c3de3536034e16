package io.kubechat.operator.health;

import io.kubechat.operator.Quorum;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides which pods to replace: failed or finished pods, pods on a lost node or in phase Unknown,
 * pods not ready for {@code unhealthyAfter}, and pods the cluster has reported DEAD that long.
 * Never more than {@code maxConcurrent} replacements in flight (terminating pods and young pods not
 * yet ready count as in flight), and never a ready pod when that would leave fewer than a majority
 * of the desired pods ready.
 */
public final class ReplacementPolicy {
  private ReplacementPolicy() {}

  public static List<Replacement> decide(
      List<PodFacts> pods, int desired, Duration unhealthyAfter, int maxConcurrent, Instant now) {
    List<Candidate> candidates = new ArrayList<>();
    int inFlight = 0;
    for (PodFacts p : pods) {
      if (p.terminating()) {
        inFlight++;
        continue;
      }
      Optional<Candidate> c = judge(p, unhealthyAfter, now);
      if (c.isPresent()) {
        candidates.add(c.get());
      } else if (!p.ready() && p.age(now).compareTo(unhealthyAfter) < 0) {
        inFlight++;
      }
    }
    candidates.sort(
        Comparator.comparingInt(Candidate::severity).thenComparingInt(c -> c.pod.ordinal()));
    int budget = maxConcurrent - inFlight;
    int ready = (int) pods.stream().filter(p -> p.ready() && !p.terminating()).count();
    int majority = Quorum.majority(desired);
    List<Replacement> out = new ArrayList<>();
    for (Candidate c : candidates) {
      if (budget <= 0) {
        break;
      }
      if (c.pod.ready()) {
        if (ready - 1 < majority) {
          continue;
        }
        ready--;
      }
      out.add(c.replacement);
      budget--;
    }
    return out;
  }

  private record Candidate(PodFacts pod, int severity, Replacement replacement) {}

  private static Optional<Candidate> judge(PodFacts p, Duration unhealthyAfter, Instant now) {
    String n = p.name();
    if ("Failed".equals(p.phase())) {
      return Optional.of(
          new Candidate(p, 0, new Replacement(n, "PodFailed", n + " has failed", false)));
    }
    if ("Succeeded".equals(p.phase())) {
      return Optional.of(
          new Candidate(p, 0, new Replacement(n, "PodSucceeded", n + " has exited", false)));
    }
    if (p.node() == PodFacts.NodeState.GONE) {
      return Optional.of(
          new Candidate(
              p, 1, new Replacement(n, "NodeLost", "the node of " + n + " is gone", true)));
    }
    if ("Unknown".equals(p.phase())) {
      return Optional.of(
          new Candidate(
              p,
              1,
              new Replacement(n, "PodUnknown", n + " is in phase Unknown (node lost?)", true)));
    }
    if (p.reportedDeadFor().isPresent()
        && p.reportedDeadFor().get().compareTo(unhealthyAfter) >= 0
        && p.age(now).compareTo(unhealthyAfter) >= 0) {
      return Optional.of(
          new Candidate(
              p,
              2,
              new Replacement(
                  n,
                  "ReportedDead",
                  String.format(
                      "the cluster has reported %s DEAD for %d s (limit %d s)",
                      n, p.reportedDeadFor().get().toSeconds(), unhealthyAfter.toSeconds()),
                  false)));
    }
    if (!p.ready()) {
      Instant since =
          p.notReadySince() == null || p.notReadySince().isBefore(p.started())
              ? p.started()
              : p.notReadySince();
      Duration notReady = Duration.between(since, now);
      if (notReady.compareTo(unhealthyAfter) >= 0) {
        return Optional.of(
            new Candidate(
                p,
                3,
                new Replacement(
                    n,
                    "NotReady",
                    String.format(
                        "%s has not been ready for %d s (limit %d s)",
                        n, notReady.toSeconds(), unhealthyAfter.toSeconds()),
                    false)));
      }
    }
    return Optional.empty();
  }
}
