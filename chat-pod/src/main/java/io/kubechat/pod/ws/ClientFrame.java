package io.kubechat.pod.ws;

/** A validated client-to-server frame (docs/protocol.md). */
public sealed interface ClientFrame {
  record Hello(String user, String clientId) implements ClientFrame {}

  /** {@code since} is -1 and {@code epoch} null when absent. */
  record Join(String group, long since, String epoch) implements ClientFrame {}

  record Leave(String group) implements ClientFrame {}

  record Send(String group, String id, String text) implements ClientFrame {}

  /** {@code ref} is echoed in the pong; null when absent. */
  record Ping(Object ref) implements ClientFrame {}
}
