package io.kubechat.operator.status;

/** A condition as decided, before timestamps are merged in. */
public record ConditionSpec(String type, boolean status, String reason, String message) {
  public static final String READY = "Ready";
  public static final String LEADER_ELECTED = "LeaderElected";
  public static final String DEGRADED = "Degraded";
  public static final String RECONCILE_SUCCESS = "ReconcileSuccess";
  public static final String EVEN_REPLICAS = "EvenReplicas";
  public static final String QUORUM_RECOVERED = "QuorumRecovered";
}
