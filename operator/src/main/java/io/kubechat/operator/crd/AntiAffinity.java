package io.kubechat.operator.crd;

/** How the chat pods of one cluster are spread over nodes. */
public enum AntiAffinity {
  /** Best effort: the scheduler prefers different nodes. */
  preferred,
  /** One pod per node; pods stay Pending when there are fewer nodes than replicas. */
  required,
  /** No spreading rule. */
  none
}
