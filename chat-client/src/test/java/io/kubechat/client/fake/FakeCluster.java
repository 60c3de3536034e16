package io.kubechat.client.fake;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The state shared by the {@link FakeChatServer}s of one test: groups with epoch, seq, history and
 * members, and the (clientId, id) dedup table of docs/protocol.md. Every access holds the monitor
 * of this object, so servers on any event loop see one consistent order.
 */
public final class FakeCluster {
  /** One message frame as stored and replayed. */
  record Stored(long seq, JsonObject frame) {}

  static final class Group {
    String epoch = UUID.randomUUID().toString().substring(0, 8);
    long seq;
    final List<Stored> history = new ArrayList<>();

    /** Member sockets and their user names. */
    final Map<ServerWebSocket, String> members = new LinkedHashMap<>();

    final Map<ServerWebSocket, String> clientIds = new HashMap<>();

    List<String> memberNames() {
      return new ArrayList<>(new TreeSet<>(members.values()));
    }
  }

  /** Frames a server received, in arrival order. */
  public record Received(String node, int connection, JsonObject frame) {}

  final Map<String, Group> groups = new HashMap<>();
  final Map<String, JsonObject> acks = new HashMap<>();
  private final List<Received> received = new ArrayList<>();
  int historyLimit = 1000;

  synchronized void record(String node, int connection, JsonObject frame) {
    received.add(new Received(node, connection, frame));
  }

  /** Everything received so far, by every server. */
  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  /** The frames of {@code type} received so far. */
  public synchronized List<Received> received(String type) {
    return received.stream().filter(r -> type.equals(r.frame().getString("type"))).toList();
  }

  /** How many {@code send} frames carried message {@code id}. */
  public synchronized long sendsOf(String id) {
    return received.stream()
        .filter(
            r -> "send".equals(r.frame().getString("type")) && id.equals(r.frame().getString("id")))
        .count();
  }

  public synchronized void historyLimit(int limit) {
    this.historyLimit = limit;
  }

  /** Simulates lost history (all pods restarted): a new epoch, numbering starts again. */
  public synchronized void resetGroup(String group) {
    Group g = groups.get(group);
    if (g != null) {
      g.epoch = UUID.randomUUID().toString().substring(0, 8);
      g.seq = 0;
      g.history.clear();
    }
  }

  /** The number of messages ordered in {@code group}. */
  public synchronized long seqOf(String group) {
    Group g = groups.get(group);
    return g == null ? 0 : g.seq;
  }
}
