package io.kubechat.operator.health;

/**
 * A decision to delete a pod so that the operator recreates it.
 *
 * @param pod pod name
 * @param reason a CamelCase reason (Kubernetes event reason style)
 * @param message why, for the Warning event and the logs
 * @param force delete without a grace period: the pod's node is gone, nothing will run its shutdown
 */
public record Replacement(String pod, String reason, String message, boolean force) {}
