package io.kubechat.operator.status;

import io.kubechat.operator.Quorum;
import java.util.List;

/**
 * What the assessment needs to know about a cluster right now.
 *
 * @param invalidSpec why the spec is invalid, or null when it is valid
 * @param desired spec.replicas
 * @param existing pods that exist and are not terminating
 * @param notReady names of existing pods that are not ready, with the reason, for messages
 * @param leader the derived leader view
 * @param wasFormed status.formed before this reconcile
 * @param activity what the operator is doing (scaling, rolling, replacing), or null
 */
public record ClusterFacts(
    String invalidSpec,
    int desired,
    int existing,
    int ready,
    List<String> notReady,
    LeaderView leader,
    boolean wasFormed,
    String activity) {

  public ClusterFacts {
    notReady = List.copyOf(notReady);
  }

  public int majority() {
    return Quorum.majority(desired);
  }
}
