package io.kubechat.pod.ws;

/** A validated client-to-server frame (docs/protocol.md). */
public sealed interface ClientFrame {
  /** {@code user} is null when absent (allowed with a token), {@code token} null when absent. */
  record Hello(String user, String clientId, String token) implements ClientFrame {
    @Override
    public String toString() {
      return "Hello[user=" + user + ", clientId=" + clientId + "]"; // never the token
    }
  }

  /** In-band re-authentication with a new token for the same user. */
  record Auth(String token) implements ClientFrame {
    @Override
    public String toString() {
      return "Auth[]";
    }
  }

  /** {@code since} is -1 and {@code epoch} null when absent. */
  record Join(String group, long since, String epoch) implements ClientFrame {}

  record Leave(String group) implements ClientFrame {}

  record Send(String group, String id, String text) implements ClientFrame {}

  /** {@code ref} is echoed in the pong; null when absent. */
  record Ping(Object ref) implements ClientFrame {}
}
