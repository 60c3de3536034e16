package io.kubechat.client.protocol;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatError;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.Gap;
import io.kubechat.client.Presence;
import io.kubechat.client.Reset;
import io.kubechat.client.ServerInfo;

/** A decoded frame from the server. */
public sealed interface ServerFrame {
  /** {@code validUntil}: when the token runs out (epoch ms), {@link Long#MAX_VALUE} without one. */
  record Welcome(ServerInfo info, long validUntil) implements ServerFrame {}

  /** The new token of an {@code auth} was accepted. */
  record Authed(long validUntil) implements ServerFrame {}

  /** The token ran out: send a new one within {@code graceMs}. */
  record Reauth(long graceMs) implements ServerFrame {}

  /** {@code joined}; {@code epoch} and {@code seq} are the group's position at the join. */
  record Joined(Presence presence, String epoch, long seq) implements ServerFrame {}

  record Left(Presence presence) implements ServerFrame {}

  record Message(ChatMessage message) implements ServerFrame {}

  record AckFrame(Ack ack) implements ServerFrame {}

  record GapFrame(Gap gap) implements ServerFrame {}

  record ResetFrame(Reset reset) implements ServerFrame {}

  record Pong(String ref) implements ServerFrame {}

  record Error(ChatError error) implements ServerFrame {}
}
