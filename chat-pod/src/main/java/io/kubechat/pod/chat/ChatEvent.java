package io.kubechat.pod.chat;

import java.util.List;

/** What a pod delivers to the local sockets that joined {@link #group()}. */
public sealed interface ChatEvent permits ChatEvent.Message, ChatEvent.Presence {

  String group();

  /** A message, in the group's order. */
  record Message(ChatMessage message) implements ChatEvent {
    @Override
    public String group() {
      return message.group();
    }
  }

  /**
   * A client joined or left a group; {@code members} is the group's distinct user list after the
   * change. {@code reason} is {@code join}, {@code leave}, {@code timeout}, {@code disconnect} or
   * {@code node-gone}.
   */
  record Presence(
      String group,
      String user,
      String clientId,
      boolean joined,
      String reason,
      List<String> members)
      implements ChatEvent {
    public Presence {
      members = List.copyOf(members);
    }
  }
}
