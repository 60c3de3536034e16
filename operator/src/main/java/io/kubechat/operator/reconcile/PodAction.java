package io.kubechat.operator.reconcile;

/**
 * A pod the operator deletes now.
 *
 * @param pod pod name
 * @param kind why in general
 * @param reason event reason
 * @param message event message
 * @param force delete without a grace period (see {@link io.kubechat.operator.health.Replacement})
 */
public record PodAction(String pod, Kind kind, String reason, String message, boolean force) {
  /** The three reasons to delete a pod. */
  public enum Kind {
    /** Unhealthy: it is recreated. */
    REPLACE,
    /** Scale down: it is not recreated. */
    SCALE_DOWN,
    /** Outdated spec: it is recreated with the new one. */
    ROLL
  }
}
