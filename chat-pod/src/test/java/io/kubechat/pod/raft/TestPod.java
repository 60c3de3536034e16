package io.kubechat.pod.raft;

import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** One backend under test, with the events it delivered and a membership view the test steers. */
final class TestPod {
  final String node;
  final String incarnation = UUID.randomUUID().toString().substring(0, 8);
  final RaftChatBackend backend;
  final List<ChatEvent> events = new CopyOnWriteArrayList<>();

  /** How often the backend said its state jumped ahead of the events (snapshot installed). */
  final AtomicInteger resyncs = new AtomicInteger();

  TestPod(Vertx vertx, String node, RaftSettings settings, Map<String, MemberInfo> view) {
    this.node = node;
    this.backend =
        new RaftChatBackend(
            vertx,
            node,
            RaftPersistence.inMemory(incarnation),
            settings,
            () -> List.copyOf(view.values()),
            null);
    backend.eventHandler(events::add);
    backend.resyncHandler(v -> resyncs.incrementAndGet());
    view.put(node, new MemberInfo(node, incarnation, MemberState.ALIVE, 0, true));
  }

  List<ChatMessage> messages(String group) {
    return events.stream()
        .filter(e -> e instanceof ChatEvent.Message && e.group().equals(group))
        .map(e -> ((ChatEvent.Message) e).message())
        .toList();
  }

  String role() {
    return backend.status().role();
  }

  static Map<String, MemberInfo> view() {
    return new ConcurrentHashMap<>();
  }
}
