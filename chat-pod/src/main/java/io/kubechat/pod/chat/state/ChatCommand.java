package io.kubechat.pod.chat.state;

/**
 * A change to the chat state, as it travels in the replicated log. Every field a replica needs is
 * in the command (including {@code ts} of a message), so that applying the same commands in the
 * same order gives the same state on every replica.
 */
public sealed interface ChatCommand {

  /** A client joins {@code group}; {@code since}/{@code epoch} say what it already has. */
  record Join(String group, String user, String clientId, String node, long since, String epoch)
      implements ChatCommand {}

  /** A client leaves {@code group} (reason: leave, timeout, disconnect). */
  record Leave(String group, String user, String clientId, String node, String reason)
      implements ChatCommand {}

  /** A message; {@code ts} is set once by the pod that proposed it. */
  record Send(
      String group, String user, String clientId, String id, String text, String node, long ts)
      implements ChatCommand {}

  /** Every client connected through {@code node} is gone. */
  record DropNode(String node) implements ChatCommand {}

  /**
   * One part of the state of a former group, re-created in a group formed by a quorum-loss
   * recovery: part 0 is the dedup table, parts 1.. one group each (see {@link ChatState#snapshot}).
   * A seeded group gets a new epoch (its history and seqs stay), and no presence: the pods that
   * hold clients propose it again.
   */
  record Seed(int part, byte[] chunk) implements ChatCommand {}

  /** The entry a new leader commits first; changes nothing. */
  record NoOp() implements ChatCommand {}
}
