package io.kubechat.operator.status;

/** ChatCluster phases; recomputed from observations on every reconcile, so none sticks. */
public enum Phase {
  /** Not formed yet and no pod ready. */
  Pending,
  /** Some pods are ready; the group has not formed yet. */
  Forming,
  /** Every pod ready and a leader (or consensus disabled in the pods). */
  Ready,
  /** Formed, but fewer pods ready than desired, no leader, or a rolling update/scaling on. */
  Degraded,
  /** Invalid spec, or formed and fewer than a majority of the pods ready (quorum lost). */
  Failed
}
