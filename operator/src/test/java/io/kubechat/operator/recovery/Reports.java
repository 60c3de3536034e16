package io.kubechat.operator.recovery;

import io.kubechat.operator.status.PodObservation;
import io.kubechat.operator.status.PodStatusReport;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Pod reports for the recovery tests: a member of a group, or a pod outside any group. */
final class Reports {
  private Reports() {}

  static PodStatusReport.RaftMember voter(String node, String incarnation) {
    return new PodStatusReport.RaftMember(node, incarnation, true);
  }

  static PodObservation member(
      String pod,
      String uid,
      String group,
      long lastTerm,
      long lastIndex,
      boolean available,
      PodStatusReport.RaftMember... view) {
    return observed(
        pod,
        new PodStatusReport(
            pod,
            uid,
            "v",
            available,
            available ? "FOLLOWER" : "CANDIDATE",
            lastTerm,
            null,
            lastIndex,
            0,
            0,
            List.of(),
            available,
            group,
            lastTerm,
            lastIndex,
            Arrays.asList(view),
            uid));
  }

  /** A new pod that joined no group yet (its member id is its UID). */
  static PodObservation outside(String pod, String uid) {
    return observed(
        pod,
        new PodStatusReport(
            pod, uid, "v", false, "NONE", 0, null, 0, 0, 0, List.of(), false, null, 0, 0, List.of(),
            uid));
  }

  static PodObservation unreachable(String pod) {
    return PodObservation.failed(pod, pod + ":9090", Optional.empty(), "refused", Instant.EPOCH);
  }

  private static PodObservation observed(String pod, PodStatusReport r) {
    return PodObservation.ok(pod, pod + ":9090", r, Instant.EPOCH);
  }
}
