package io.kubechat.pod.chat;

import io.kubechat.pod.cluster.PodInbox;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part 1 of the message path: no consensus. A send is published once to every pod on one
 * cluster-wide address and acknowledged right after the publish; each pod hands it to its local
 * sockets. Presence (join/leave) is broadcast the same way and every pod keeps the cluster-wide
 * member list it learned; a new pod asks its peers for theirs at start. There is no ordering across
 * senders, no history and no deduplication: {@code seq} is 0 and {@code epoch} is {@value #EPOCH}
 * (part 2, the Raft backend, brings them).
 *
 * <p>Must be used from the pod's context: its state is not synchronized.
 */
public final class BroadcastChatBackend implements ChatBackend {
  private static final Logger LOG = LoggerFactory.getLogger(BroadcastChatBackend.class);
  public static final String ADDRESS = "kubechat.chat";
  public static final String EPOCH = "none";

  private record Entry(String user, String clientId, String node) {
    JsonObject toJson(String group) {
      return new JsonObject().put("group", group).put("user", user).put("clientId", clientId)
          .put("node", node);
    }
  }

  private final Vertx vertx;
  private final String node;
  private final PodInbox inbox;
  /** group -> (node/clientId -> entry): the cluster-wide presence this pod learned. */
  private final Map<String, Map<String, Entry>> groups = new HashMap<>();
  private Handler<ChatEvent> events = e -> {};
  private MessageConsumer<JsonObject> consumer;
  private volatile boolean available;
  private volatile String reason = "starting";

  public BroadcastChatBackend(Vertx vertx, String node, PodInbox inbox) {
    this.vertx = vertx;
    this.node = node;
    this.inbox = inbox;
  }

  @Override
  public Future<Void> start() {
    inbox.on("sync-resp", this::onSyncResponse);
    consumer = vertx.eventBus().consumer(ADDRESS, msg -> onBroadcast(msg.body()));
    return consumer.completion().onSuccess(v -> {
      vertx.eventBus().publish(ADDRESS, new JsonObject().put("kind", "sync-req").put("node", node)
          .put("inbox", inbox.address()));
      available = true;
      reason = null;
    });
  }

  @Override
  public Future<Void> stop() {
    available = false;
    reason = "stopped";
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  @Override
  public Future<JoinResult> join(JoinRequest r) {
    if (!available) {
      return Future.failedFuture(unavailable());
    }
    add(r.group(), new Entry(r.user(), r.clientId(), r.node()));
    vertx.eventBus().publish(ADDRESS, presence(r.group(), r.user(), r.clientId(), r.node(), true, "join"));
    return Future.succeededFuture(new JoinResult(r.group(), EPOCH, 0, members(r.group()), List.of(),
        -1, -1, false));
  }

  @Override
  public Future<Void> leave(LeaveRequest r) {
    remove(r.group(), r.node(), r.clientId());
    vertx.eventBus().publish(ADDRESS, presence(r.group(), r.user(), r.clientId(), r.node(), false, r.reason()));
    return Future.succeededFuture();
  }

  @Override
  public Future<SendResult> send(SendRequest r) {
    if (!available) {
      return Future.failedFuture(unavailable());
    }
    long ts = System.currentTimeMillis();
    ChatMessage m = new ChatMessage(r.group(), 0, EPOCH, r.user(), r.clientId(), r.id(), r.text(), ts, r.node());
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("kind", "message").put("group", m.group())
        .put("from", m.from()).put("clientId", m.clientId()).put("id", m.id()).put("text", m.text())
        .put("ts", ts).put("node", m.node()));
    return Future.succeededFuture(new SendResult(r.group(), r.id(), 0, EPOCH, ts));
  }

  @Override
  public Future<Void> dropNode(String gone) {
    for (Iterator<Map.Entry<String, Map<String, Entry>>> it = groups.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Map<String, Entry>> g = it.next();
      List<Entry> dropped = new ArrayList<>();
      g.getValue().values().removeIf(e -> e.node().equals(gone) && dropped.add(e));
      List<String> members = distinctUsers(g.getValue());
      if (g.getValue().isEmpty()) {
        it.remove();
      }
      for (Entry e : dropped) {
        events.handle(new ChatEvent.Presence(g.getKey(), e.user(), e.clientId(), false, "node-gone", members));
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public void eventHandler(Handler<ChatEvent> handler) {
    this.events = handler;
  }

  @Override
  public BackendStatus status() {
    return new BackendStatus("NONE", 0, null, 0, available, reason);
  }

  private void onBroadcast(JsonObject b) {
    if (b == null) {
      return;
    }
    try {
      dispatch(b);
    } catch (RuntimeException e) {
      // A malformed event from a peer (e.g. another version) is dropped, never fatal.
      LOG.warn("dropping malformed chat event {}: {}", b.getString("kind"), e.toString());
    }
  }

  private void dispatch(JsonObject b) {
    switch (b.getString("kind", "")) {
      case "message" -> events.handle(new ChatEvent.Message(new ChatMessage(b.getString("group"), 0,
          EPOCH, b.getString("from"), b.getString("clientId"), b.getString("id"), b.getString("text"),
          b.getLong("ts", 0L), b.getString("node"))));
      case "presence" -> onPresence(b);
      case "sync-req" -> onSyncRequest(b);
      default -> { }
    }
  }

  private void onPresence(JsonObject b) {
    String group = b.getString("group");
    String user = b.getString("user");
    String clientId = b.getString("clientId");
    String from = b.getString("node");
    boolean joined = b.getBoolean("joined", false);
    if (joined) {
      add(group, new Entry(user, clientId, from));
    } else {
      remove(group, from, clientId);
    }
    events.handle(new ChatEvent.Presence(group, user, clientId, joined, b.getString("reason"), members(group)));
  }

  /** A new pod asks what we know about our own clients; the answer goes to its inbox only. */
  private void onSyncRequest(JsonObject b) {
    String replyTo = b.getString("inbox");
    if (replyTo == null || replyTo.equals(inbox.address())) {
      return;
    }
    JsonArray entries = new JsonArray();
    groups.forEach((group, members) -> members.values().stream()
        .filter(e -> e.node().equals(node)).forEach(e -> entries.add(e.toJson(group))));
    inbox.send(replyTo, new JsonObject().put("kind", "sync-resp").put("entries", entries));
  }

  private void onSyncResponse(JsonObject b) {
    JsonArray entries = b.getJsonArray("entries", new JsonArray());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      add(e.getString("group"), new Entry(e.getString("user"), e.getString("clientId"), e.getString("node")));
    }
  }

  private void add(String group, Entry e) {
    groups.computeIfAbsent(group, g -> new HashMap<>()).put(e.node() + "/" + e.clientId(), e);
  }

  private void remove(String group, String fromNode, String clientId) {
    Map<String, Entry> members = groups.get(group);
    if (members != null) {
      members.remove(fromNode + "/" + clientId);
      if (members.isEmpty()) {
        groups.remove(group);
      }
    }
  }

  private List<String> members(String group) {
    return distinctUsers(groups.getOrDefault(group, Map.of()));
  }

  private static List<String> distinctUsers(Map<String, Entry> members) {
    TreeSet<String> users = new TreeSet<>();
    members.values().forEach(e -> users.add(e.user()));
    return List.copyOf(users);
  }

  private static JsonObject presence(String group, String user, String clientId, String node,
      boolean joined, String reason) {
    return new JsonObject().put("kind", "presence").put("group", group).put("user", user)
        .put("clientId", clientId).put("node", node).put("joined", joined).put("reason", reason);
  }

  private ChatException unavailable() {
    return new ChatException("UNAVAILABLE", "the chat backend is " + (reason == null ? "unavailable" : reason), true);
  }
}
