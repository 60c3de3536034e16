package io.kubechat.pod.cluster;

/** How this pod sees a peer, from pod heartbeats. */
public enum MemberState {
  /** Heard within the heartbeat timeout. */
  ALIVE,
  /** Silent for longer than the heartbeat timeout. */
  SUSPECT,
  /** Silent for three heartbeat timeouts. */
  DEAD,
  /** Said goodbye on graceful shutdown. */
  LEFT
}
