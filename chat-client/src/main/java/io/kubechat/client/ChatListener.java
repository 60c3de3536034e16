package io.kubechat.client;

/**
 * Receives what happens on a {@link ChatClient}. Every method has an empty default, so implement
 * only what you need. Methods are called one at a time on the client's event-loop thread: return
 * quickly and never block in them. An exception thrown by a listener is logged and ignored.
 */
public interface ChatListener {
  /** A message, at most once per (group, epoch, seq), in group order. */
  default void onMessage(ChatMessage message) {}

  /** Someone (maybe this client: {@code self}) joined or left a group. */
  default void onPresence(Presence presence) {}

  /** The connection state changed (connected, lost, reconnecting, ...). */
  default void onStateChange(StateChange change) {}

  /** Messages were missed and could not be replayed. */
  default void onGap(Gap gap) {}

  /** A group's history was lost on the server; numbering restarted. */
  default void onReset(Reset reset) {}

  /**
   * The server refused a message for now (a retryable error such as {@code UNAVAILABLE}: no quorum,
   * or {@code RATE_LIMITED}; {@code ref} is the message id); the client sends it again later.
   */
  default void onSendRefused(ChatError error) {}

  /**
   * Everything of {@code group} up to its position at the (re)join is delivered: the messages up to
   * {@code seq} that the server replayed after {@code since}, or announced as missed by a gap or a
   * reset. Called after every answer to a join; at once when there was nothing to replay.
   */
  default void onCaughtUp(String group, long seq) {}

  /** An error frame no pending operation claimed, or an undecodable frame. */
  default void onError(ChatError error) {}
}
