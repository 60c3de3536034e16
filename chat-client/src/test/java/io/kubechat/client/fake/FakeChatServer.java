package io.kubechat.client.fake;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat server for tests that follows docs/protocol.md (hello/welcome, join with since/epoch and
 * replay, gap, reset, dedup on (clientId, id), presence, ping/pong) and can be told to misbehave:
 * drop its connections, stop answering pings, ack late, lose acks, refuse sends as UNAVAILABLE,
 * send garbage, replay messages the client already has. One {@link FakeCluster} is shared by the
 * servers of a test, like the pods of a cluster share the Raft state.
 */
public final class FakeChatServer implements AutoCloseable {
  private final Vertx vertx;
  private final FakeCluster cluster;
  private final String host;
  private final String node;
  private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private HttpServer server;
  private int port;

  private volatile boolean answerPings = true;
  private volatile long ackDelayMs;
  private volatile boolean loseAcks;
  private final AtomicInteger unavailableSends = new AtomicInteger();
  private volatile int replayOverlap;
  private final AtomicInteger unavailableJoins = new AtomicInteger();
  private volatile int maxGroups = 100;
  private volatile long joinDelayMs;
  private volatile long leaveDelayMs;
  private final AtomicInteger droppedJoins = new AtomicInteger();
  private volatile String refuseHelloWith;

  public FakeChatServer(Vertx vertx, FakeCluster cluster, String host, String node) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.host = host;
    this.node = node;
  }

  /** Listens on {@code host} and an ephemeral port. */
  public FakeChatServer start() throws Exception {
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
            .webSocketHandler(this::accept);
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
    return this;
  }

  /** Listens again on the same address and port after {@link #stop()}: the pod came back. */
  public FakeChatServer restart() throws Exception {
    return start();
  }

  public URI uri() {
    return URI.create("ws://" + host + ":" + port + "/ws");
  }

  public String node() {
    return node;
  }

  /** How many WebSocket connections this server accepted so far. */
  public int connectionCount() {
    return connections.get();
  }

  public int openSockets() {
    return sockets.size();
  }

  // ---- misbehaviour knobs -----------------------------------------------------------------

  public FakeChatServer answerPings(boolean answer) {
    this.answerPings = answer;
    return this;
  }

  /** Orders (and acks) every send only after this delay: a slow server. */
  public FakeChatServer ackDelay(long millis) {
    this.ackDelayMs = millis;
    return this;
  }

  /** Orders and delivers sends but never acks them (as if the pod died right after commit). */
  public FakeChatServer loseAcks(boolean lose) {
    this.loseAcks = lose;
    return this;
  }

  /** Refuses the next {@code count} sends with a retryable UNAVAILABLE. */
  public FakeChatServer refuseSendsAsUnavailable(int count) {
    unavailableSends.set(count);
    return this;
  }

  /** Refuses the next {@code count} joins with a retryable UNAVAILABLE. */
  public FakeChatServer refuseJoinsAsUnavailable(int count) {
    unavailableJoins.set(count);
    return this;
  }

  /**
   * Answers joins only after this delay, as a pod does once the join is in the log; a join waiting
   * for it counts against the group limit, and refusals (TOO_MANY_GROUPS) still come at once.
   */
  public FakeChatServer joinDelay(long millis) {
    this.joinDelayMs = millis;
    return this;
  }

  /** Answers leaves of joined groups only after this delay; NOT_JOINED still comes at once. */
  public FakeChatServer leaveDelay(long millis) {
    this.leaveDelayMs = millis;
    return this;
  }

  /**
   * Drops the next {@code count} joins as over the rate limit, with an error RATE_LIMITED that has
   * no ref, as a pod does.
   */
  public FakeChatServer dropJoinsAsRateLimited(int count) {
    droppedJoins.set(count);
    return this;
  }

  /** How many groups one connection may join before TOO_MANY_GROUPS. */
  public FakeChatServer maxGroups(int max) {
    this.maxGroups = max;
    return this;
  }

  /** Answers every hello with this non-retryable error code instead of a welcome. */
  public FakeChatServer refuseHelloWith(String code) {
    this.refuseHelloWith = code;
    return this;
  }

  /** On a join with since, also replays this many messages the client already has. */
  public FakeChatServer replayOverlap(int messages) {
    this.replayOverlap = messages;
    return this;
  }

  /** Closes every connection with a close frame carrying {@code code}. */
  public void closeConnections(short code, String reason) {
    for (ServerWebSocket socket : sockets) {
      socket.close(code, reason);
    }
  }

  /** Stops listening and drops every connection: the pod is gone. */
  public void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      server = null;
    }
    sockets.forEach(ServerWebSocket::close);
    sockets.clear();
  }

  /** Sends a raw text frame to every connection. */
  public void sendRawText(String text) {
    sockets.forEach(socket -> socket.writeTextMessage(text));
  }

  public void sendBinary() {
    sockets.forEach(socket -> socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})));
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop " + node, e);
    }
  }

  // ---- protocol ---------------------------------------------------------------------------

  private final class Session {
    final int id = connections.incrementAndGet();
    final ServerWebSocket socket;
    String user;
    String clientId;
    final Set<String> pendingJoins = ConcurrentHashMap.newKeySet();
    // as a pod: after a retryable refusal, the connection's other sends are refused with it until
    // the refused one comes again, so that nothing overtakes it
    volatile String awaitedSend;

    Session(ServerWebSocket socket) {
      this.socket = socket;
    }
  }

  private void accept(ServerWebSocket socket) {
    if (!"/ws".equals(socket.path())) {
      socket.close((short) 1008, "unknown path");
      return;
    }
    Session session = new Session(socket);
    sockets.add(socket);
    socket.textMessageHandler(text -> onText(session, text));
    socket.closeHandler(
        v -> {
          sockets.remove(socket);
          onGone(session);
        });
  }

  private void onText(Session session, String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      error(session, "BAD_JSON", "not a JSON object", null, false);
      return;
    }
    cluster.record(node, session.id, frame);
    String type = frame.getString("type", "");
    if ("ping".equals(type)) {
      if (answerPings) {
        write(
            session.socket, new JsonObject().put("type", "pong").put("ref", frame.getValue("ref")));
      }
      return;
    }
    if (session.user == null && !"hello".equals(type)) {
      error(session, "NOT_HELLO", "hello first", type, false);
      return;
    }
    switch (type) {
      case "hello" -> {
        if (refuseHelloWith != null) {
          error(session, refuseHelloWith, "hello refused", "hello", false);
          return;
        }
        session.user = frame.getString("user");
        session.clientId = frame.getString("clientId");
        write(
            session.socket,
            new JsonObject()
                .put("type", "welcome")
                .put("node", node)
                .put("incarnation", "inc-" + node)
                .put("user", session.user)
                .put("clientId", session.clientId)
                .put("version", "fake")
                .put(
                    "limits",
                    new JsonObject()
                        .put("maxFrameBytes", 65536)
                        .put("maxTextBytes", 8192)
                        .put("maxGroups", 100))
                .put("idleTimeoutMs", 30000));
      }
      case "join" -> join(session, frame);
      case "leave" -> leave(session, frame.getString("group"));
      case "send" -> {
        if (ackDelayMs > 0) {
          vertx.setTimer(ackDelayMs, t -> send(session, frame));
        } else {
          send(session, frame);
        }
      }
      default -> error(session, "UNKNOWN_TYPE", "unknown type", type, false);
    }
  }

  private void join(Session session, JsonObject frame) {
    String group = frame.getString("group");
    if (droppedJoins.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(session, "RATE_LIMITED", "frames are being dropped", null, true);
      return;
    }
    if (joinDelayMs > 0) {
      synchronized (cluster) {
        if (joinedCount(session) + session.pendingJoins.size() >= maxGroups
            && !session.pendingJoins.contains(group)) {
          error(session, "TOO_MANY_GROUPS", "at most " + maxGroups + " groups", "join", false);
          return;
        }
        session.pendingJoins.add(group);
      }
      vertx.setTimer(
          joinDelayMs,
          t -> {
            session.pendingJoins.remove(group);
            answerJoin(session, frame);
          });
      return;
    }
    answerJoin(session, frame);
  }

  private long joinedCount(Session session) {
    return cluster.groups.values().stream()
        .filter(g -> g.members.containsKey(session.socket))
        .count();
  }

  private void answerJoin(Session session, JsonObject frame) {
    String group = frame.getString("group");
    if (unavailableJoins.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(session, "UNAVAILABLE", "no quorum", "join", true);
      return;
    }
    synchronized (cluster) {
      if (joinDelayMs == 0
          && joinedCount(session) >= maxGroups
          && !(cluster.groups.containsKey(group)
              && cluster.groups.get(group).members.containsKey(session.socket))) {
        error(session, "TOO_MANY_GROUPS", "at most " + maxGroups + " groups", "join", false);
        return;
      }
      FakeCluster.Group g = cluster.groups.computeIfAbsent(group, k -> new FakeCluster.Group());
      g.members.put(session.socket, session.user);
      g.clientIds.put(session.socket, session.clientId);
      JsonObject joined =
          new JsonObject()
              .put("type", "joined")
              .put("group", group)
              .put("user", session.user)
              .put("clientId", session.clientId)
              .put("members", new JsonArray(g.memberNames()))
              .put("epoch", g.epoch)
              .put("seq", g.seq);
      write(session.socket, joined.copy().put("self", true));
      Long since = frame.getLong("since");
      if (since != null) {
        String epoch = frame.getString("epoch");
        long from = since + 1;
        if (epoch != null && !epoch.equals(g.epoch)) {
          write(
              session.socket,
              new JsonObject().put("type", "reset").put("group", group).put("epoch", g.epoch));
          from = 1;
        } else {
          long oldest = g.history.isEmpty() ? g.seq + 1 : g.history.get(0).seq();
          if (from < oldest) {
            write(
                session.socket,
                new JsonObject()
                    .put("type", "gap")
                    .put("group", group)
                    .put("from", from)
                    .put("to", oldest - 1));
          }
          from = Math.max(1, from - replayOverlap);
        }
        for (FakeCluster.Stored stored : g.history) {
          if (stored.seq() >= from) {
            write(session.socket, stored.frame());
          }
        }
      }
      for (ServerWebSocket other : g.members.keySet()) {
        if (other != session.socket) {
          write(other, joined.copy().put("self", false));
        }
      }
    }
  }

  private void leave(Session session, String group) {
    synchronized (cluster) {
      FakeCluster.Group g = cluster.groups.get(group);
      if (g == null || g.members.remove(session.socket) == null) {
        error(session, "NOT_JOINED", "not joined", "leave", false);
        return;
      }
      g.clientIds.remove(session.socket);
      JsonObject left =
          new JsonObject()
              .put("type", "left")
              .put("group", group)
              .put("user", session.user)
              .put("clientId", session.clientId)
              .put("members", new JsonArray(g.memberNames()))
              .put("reason", "leave");
      g.members.keySet().forEach(other -> write(other, left.copy().put("self", false)));
      if (leaveDelayMs > 0) {
        vertx.setTimer(leaveDelayMs, t -> write(session.socket, left.copy().put("self", true)));
      } else {
        write(session.socket, left.copy().put("self", true));
      }
    }
  }

  private void onGone(Session session) {
    synchronized (cluster) {
      for (Map.Entry<String, FakeCluster.Group> entry : cluster.groups.entrySet()) {
        FakeCluster.Group g = entry.getValue();
        if (g.members.remove(session.socket) != null) {
          g.clientIds.remove(session.socket);
          JsonObject left =
              new JsonObject()
                  .put("type", "left")
                  .put("group", entry.getKey())
                  .put("user", session.user)
                  .put("clientId", session.clientId)
                  .put("members", new JsonArray(g.memberNames()))
                  .put("reason", "disconnect")
                  .put("self", false);
          g.members.keySet().forEach(other -> write(other, left));
        }
      }
    }
  }

  private void send(Session session, JsonObject frame) {
    String group = frame.getString("group");
    String id = frame.getString("id");
    if (session.awaitedSend != null && !session.awaitedSend.equals(id)) {
      error(session, "UNAVAILABLE", "behind a refused message", id, true);
      return;
    }
    session.awaitedSend = null;
    if (unavailableSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      session.awaitedSend = id;
      error(session, "UNAVAILABLE", "no quorum", id, true);
      return;
    }
    synchronized (cluster) {
      FakeCluster.Group g = cluster.groups.get(group);
      if (g == null || !g.members.containsKey(session.socket)) {
        error(session, "NOT_JOINED", "join first", id, false);
        return;
      }
      String text = frame.getString("text", "");
      if (text.length() > 8192) {
        error(session, "TOO_LARGE", "text over 8192 bytes", id, false);
        return;
      }
      String key = session.clientId + "\u0000" + id;
      JsonObject ack = cluster.acks.get(key);
      if (ack == null) {
        g.seq++;
        long ts = System.currentTimeMillis();
        JsonObject message =
            new JsonObject()
                .put("type", "message")
                .put("group", group)
                .put("from", session.user)
                .put("text", text)
                .put("id", id)
                .put("ts", ts)
                .put("node", node)
                .put("seq", g.seq)
                .put("epoch", g.epoch);
        g.history.add(new FakeCluster.Stored(g.seq, message));
        while (g.history.size() > cluster.historyLimit) {
          g.history.remove(0);
        }
        ack =
            new JsonObject()
                .put("type", "ack")
                .put("id", id)
                .put("group", group)
                .put("seq", g.seq)
                .put("epoch", g.epoch)
                .put("ts", ts);
        cluster.acks.put(key, ack);
        List<ServerWebSocket> members = new ArrayList<>(g.members.keySet());
        for (ServerWebSocket member : members) {
          write(member, message);
        }
      }
      if (!loseAcks) {
        write(session.socket, ack);
      }
    }
  }

  private void error(Session session, String code, String message, String ref, boolean retryable) {
    write(
        session.socket,
        new JsonObject()
            .put("type", "error")
            .put("code", code)
            .put("message", message)
            .put("ref", ref)
            .put("retryable", retryable));
  }

  private static void write(ServerWebSocket socket, JsonObject frame) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(frame.encode());
    }
  }
}
