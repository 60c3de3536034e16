package io.kubechat.pod.chat.state;

import io.kubechat.pod.chat.ChatEvent;
import java.util.List;

/**
 * What applying one command produced: the result for whoever proposed it (a {@link
 * io.kubechat.pod.chat.SendResult}, {@link io.kubechat.pod.chat.JoinResult}, {@link
 * io.kubechat.pod.chat.LeaveResult} or null) and the events every replica delivers to its local
 * sockets, in order.
 */
public record Applied(Object result, List<ChatEvent> events) {
  public Applied {
    events = List.copyOf(events);
  }
}
