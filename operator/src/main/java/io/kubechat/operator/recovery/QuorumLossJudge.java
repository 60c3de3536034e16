package io.kubechat.operator.recovery;

import io.kubechat.operator.Quorum;
import io.kubechat.operator.status.PodObservation;
import io.kubechat.operator.status.PodStatusReport;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a cluster's consensus group has lost its quorum for good. Heartbeats alone never
 * do: the API server is the judge of "gone". A voter is gone only when no pod of its name exists,
 * or the pod of its name is a new one (another UID) whose own report names another member. A voter
 * whose pod exists but does not answer (paused, cut off, restarting) is present, so a majority that
 * is only unreachable is never recovered over.
 *
 * <p>No judgement while any pod's group can commit, while pods report different groups (a recovery
 * is under way), or while any member's view still has a majority of present voters (an election).
 */
public final class QuorumLossJudge {
  private QuorumLossJudge() {}

  /**
   * @param pods the cluster's pods that may still hold their member, pod name to UID: every pod
   *     that exists, terminating ones included, but those that failed for good with an emptyDir
   *     ({@code PodViews.holdingMembers})
   * @param observed the latest poll of each pod
   */
  public static Optional<QuorumLoss> judge(
      Map<String, String> pods, Map<String, PodObservation> observed) {
    List<PodObservation> current =
        observed.values().stream()
            .filter(o -> o.current().isPresent() && pods.containsKey(o.pod()))
            .toList();
    if (current.stream().anyMatch(o -> o.current().get().available())) {
      return Optional.empty();
    }
    List<PodObservation> members =
        current.stream()
            .filter(o -> o.current().get().group() != null)
            .filter(o -> isVoter(o.current().get()))
            .toList();
    if (members.isEmpty()
        || members.stream().map(o -> o.current().get().group()).distinct().count() > 1) {
      return Optional.empty();
    }
    for (PodObservation m : members) {
      List<PodStatusReport.RaftMember> voters = m.current().get().voters();
      long present = voters.stream().filter(v -> present(v, pods, observed)).count();
      if (present >= Quorum.majority(voters.size())) {
        return Optional.empty();
      }
    }
    PodObservation survivor =
        members.stream()
            .max(
                Comparator.comparingLong((PodObservation o) -> o.current().get().lastLogTerm())
                    .thenComparingLong(o -> o.current().get().lastLogIndex())
                    .thenComparing(PodObservation::pod, Comparator.reverseOrder()))
            .orElseThrow();
    PodStatusReport r = survivor.current().get();
    List<PodStatusReport.RaftMember> voters = r.voters();
    return Optional.of(
        new QuorumLoss(
            r.group(),
            voters.stream().map(PodStatusReport.RaftMember::node).toList(),
            voters.stream()
                .filter(v -> !present(v, pods, observed))
                .map(PodStatusReport.RaftMember::node)
                .toList(),
            survivor.pod(),
            survivor.address(),
            r.lastLogTerm(),
            r.lastLogIndex()));
  }

  /** The pod is itself a voter of the group it reports. */
  private static boolean isVoter(PodStatusReport r) {
    return r.voters().stream()
        .anyMatch(v -> v.node().equals(r.node()) && v.incarnation().equals(r.incarnation()));
  }

  /**
   * The voter's member may still exist: its pod exists and is the voter's own (the member id is the
   * pod UID), or it has not said yet which member it holds (a new pod may restore the member from a
   * persistent volume), or it says it holds this member.
   */
  private static boolean present(
      PodStatusReport.RaftMember voter,
      Map<String, String> pods,
      Map<String, PodObservation> observed) {
    String uid = pods.get(voter.node());
    if (uid == null) {
      return false;
    }
    if (uid.equals(voter.incarnation())) {
      return true;
    }
    Optional<PodStatusReport> fromThisPod =
        Optional.ofNullable(observed.get(voter.node()))
            .flatMap(PodObservation::report)
            .filter(r -> Objects.equals(r.podUid(), uid));
    return fromThisPod.map(r -> r.incarnation().equals(voter.incarnation())).orElse(true);
  }
}
