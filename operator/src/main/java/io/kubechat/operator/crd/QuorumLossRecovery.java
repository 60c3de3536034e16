package io.kubechat.operator.crd;

/** Whether the operator re-forms a consensus group whose majority is gone for good. */
public enum QuorumLossRecovery {
  /** Re-form it from the most advanced surviving pod. */
  Automatic,
  /** Report it and wait for a person to start the recovery. */
  Manual
}
