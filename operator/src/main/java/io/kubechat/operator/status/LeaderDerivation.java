package io.kubechat.operator.status;

import io.kubechat.operator.Quorum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Derives the leader from the pods' own reports: the pod named by a majority of the cluster at the
 * highest term with such a majority, and only if that pod itself answers that it leads at that term
 * (a dead leader that its followers have not yet given up on is no leader).
 */
public final class LeaderDerivation {
  private LeaderDerivation() {}

  /**
   * @param reports the latest report of every reachable pod, by pod name
   * @param clusterSize the number of members the cluster should have (majority is over this)
   */
  public static LeaderView derive(Map<String, PodStatusReport> reports, int clusterSize) {
    if (reports.isEmpty()) {
      return new LeaderView(
          Optional.empty(), 0, LeaderView.Outcome.NO_REACHABLE_PODS, "no pod answers on /status");
    }
    Map<String, PodStatusReport> sorted = new TreeMap<>(reports);
    long highestTerm = sorted.values().stream().mapToLong(PodStatusReport::term).max().orElse(0);
    if (sorted.values().stream().noneMatch(PodStatusReport::consensusEnabled)) {
      return new LeaderView(
          Optional.empty(),
          0,
          LeaderView.Outcome.CONSENSUS_DISABLED,
          "the pods report role NONE: this chat pod version has no leader election");
    }
    int majority = Quorum.majority(clusterSize);
    record Claim(String leader, long term) {}
    Map<Claim, List<String>> votes =
        new TreeMap<>(
            Comparator.comparingLong(Claim::term).reversed().thenComparing(Claim::leader));
    sorted.forEach(
        (pod, r) -> {
          if (r.consensusEnabled() && r.leader() != null) {
            votes.computeIfAbsent(new Claim(r.leader(), r.term()), c -> new ArrayList<>()).add(pod);
          }
        });
    for (Map.Entry<Claim, List<String>> e : votes.entrySet()) {
      if (e.getValue().size() < majority) {
        continue;
      }
      Claim c = e.getKey();
      PodStatusReport own = sorted.get(c.leader());
      if (own == null || !"LEADER".equals(own.role()) || own.term() != c.term()) {
        return new LeaderView(
            Optional.empty(),
            c.term(),
            LeaderView.Outcome.NO_LEADER,
            String.format(
                "%s name %s leader at term %d, but %s does not answer as leader; election pending",
                String.join(", ", e.getValue()), c.leader(), c.term(), c.leader()));
      }
      return new LeaderView(
          Optional.of(c.leader()),
          c.term(),
          LeaderView.Outcome.ELECTED,
          String.format(
              "%s leads at term %d, named by %d of %d members (%s)",
              c.leader(),
              c.term(),
              e.getValue().size(),
              clusterSize,
              String.join(", ", e.getValue())));
    }
    Set<String> claimed =
        votes.keySet().stream()
            .map(Claim::leader)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (claimed.size() > 1) {
      String details =
          sorted.entrySet().stream()
              .map(
                  e ->
                      String.format(
                          "%s says %s (term %d)",
                          e.getKey(),
                          e.getValue().leader() == null ? "none" : e.getValue().leader(),
                          e.getValue().term()))
              .collect(Collectors.joining("; "));
      return new LeaderView(
          Optional.empty(),
          highestTerm,
          LeaderView.Outcome.SPLIT_VIEW,
          String.format(
              "no leader named by a majority (%d of %d): %s", majority, clusterSize, details));
    }
    return new LeaderView(
        Optional.empty(),
        highestTerm,
        LeaderView.Outcome.NO_LEADER,
        String.format(
            "no leader named by a majority (%d of %d members) yet; highest term %d",
            majority, clusterSize, highestTerm));
  }
}
