package io.kubechat.pod.raft;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * What a pod does after a discovery round: join a group someone answered with, form a new one, or
 * ask again. Forming is the dangerous choice (a second group is a split brain that no one can
 * merge), so a bootstrapping pod forms one only when every other node of the cluster answered and
 * none is in a group; silence means "unknown", never "no group". Of two bootstrapping pods, the one
 * with the smaller name forms the group and the other joins it.
 *
 * <p>With the cluster's size known ({@code KUBECHAT_CLUSTER_SIZE}) no bootstrap pod is needed: once
 * all {@code size - 1} other pods answered and none is in a group, the pod with the smallest name
 * forms it. All of them, not a majority: a pod that did not answer may be a restarted member that
 * still holds a group (its data directory), and a majority forming a second group beside it would
 * be a split brain. A restored member answers with its group from its first answer on.
 */
record BootstrapDecision(Kind kind, JsonObject found, String reason) {

  enum Kind {
    JOIN,
    FORM,
    WAIT
  }

  /**
   * @param answers the discovery answers of this round: {@code node}, {@code group} (null for a pod
   *     in no group), {@code leader}, {@code bootstrap}
   * @param otherNodes how many other nodes the cluster manager knows, or -1 when not clustered
   * @param clusterSize the number of pods the cluster is meant to have, 0 when unknown
   */
  static BootstrapDecision decide(
      String self, boolean bootstrap, List<JsonObject> answers, int otherNodes, int clusterSize) {
    Optional<JsonObject> inGroup =
        answers.stream()
            .filter(a -> a.getString("group") != null)
            .filter(a -> a.getString("leader") != null)
            .findFirst()
            .or(() -> answers.stream().filter(a -> a.getString("group") != null).findFirst());
    if (inGroup.isPresent()) {
      return new BootstrapDecision(
          Kind.JOIN, inGroup.get(), "found group " + inGroup.get().getString("group"));
    }
    long answered = answers.stream().map(a -> a.getString("node")).distinct().count();
    if (!bootstrap && clusterSize > 0) {
      return formBySize(self, answers, answered, Math.max(otherNodes, clusterSize - 1));
    }
    if (!bootstrap) {
      return new BootstrapDecision(
          Kind.WAIT,
          null,
          "no consensus group found (to form one, set KUBECHAT_CLUSTER_SIZE to the number of pods"
              + " on every pod, or KUBECHAT_BOOTSTRAP=true on one)");
    }
    if (otherNodes > answered) {
      return new BootstrapDecision(
          Kind.WAIT,
          null,
          "not forming a group: "
              + (otherNodes - answered)
              + " of "
              + otherNodes
              + " other pods did not answer");
    }
    Optional<String> elder =
        answers.stream()
            .filter(a -> a.getBoolean("bootstrap", false))
            .map(a -> a.getString("node"))
            .filter(n -> n.compareTo(self) < 0)
            .findFirst();
    if (elder.isPresent()) {
      return new BootstrapDecision(
          Kind.WAIT, null, "not forming a group: " + elder.get() + " bootstraps too");
    }
    return new BootstrapDecision(Kind.FORM, null, "no other pod is in a consensus group");
  }

  private static BootstrapDecision formBySize(
      String self, List<JsonObject> answers, long answered, long others) {
    if (answered < others) {
      return new BootstrapDecision(
          Kind.WAIT,
          null,
          "no consensus group found; forming one when all pods answer ("
              + answered
              + " of "
              + others
              + " others did)");
    }
    Optional<String> smaller =
        answers.stream()
            .map(a -> a.getString("node"))
            .filter(n -> n.compareTo(self) < 0)
            .min(String::compareTo);
    if (smaller.isPresent()) {
      return new BootstrapDecision(
          Kind.WAIT, null, "no consensus group found; " + smaller.get() + " forms it");
    }
    return new BootstrapDecision(Kind.FORM, null, "all pods answered and none is in a group");
  }
}
