package io.kubechat.pod.raft;

import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.state.ChatState;
import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import io.kubechat.pod.raft.store.RaftPersistence;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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

  /** Reads this backend's copy of the chat state (on its Raft thread); fails without a member. */
  <T> T read(Function<ChatState, T> reader) {
    T value = readOr(reader, null);
    if (value == null) {
      throw new AssertionError(node + " has no chat state");
    }
    return value;
  }

  /** As {@link #read}, with {@code absent} when this backend is no member (yet). */
  <T> T readOr(Function<ChatState, T> reader, T absent) {
    try {
      T value =
          backend
              .readState(reader)
              .toCompletionStage()
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      return value == null ? absent : value;
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("reading the state of " + node, e);
    }
  }

  List<ChatMessage> history(String group) {
    return readOr(s -> s.history(group, 0, 1000), List.of());
  }

  List<String> members(String group) {
    return readOr(s -> s.members(group), List.of());
  }

  String role() {
    return backend.status().role();
  }

  static Map<String, MemberInfo> view() {
    return new ConcurrentHashMap<>();
  }
}
