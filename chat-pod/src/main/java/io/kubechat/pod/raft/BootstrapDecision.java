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
   */
  static BootstrapDecision decide(
      String self, boolean bootstrap, List<JsonObject> answers, int otherNodes) {
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
    if (!bootstrap) {
      return new BootstrapDecision(Kind.WAIT, null, "no consensus group found");
    }
    long answered = answers.stream().map(a -> a.getString("node")).distinct().count();
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
}
