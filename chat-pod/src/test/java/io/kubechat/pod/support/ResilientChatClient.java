package io.kubechat.pod.support;

import io.kubechat.pod.support.HistoryChecker.Ack;
import io.kubechat.pod.support.HistoryChecker.ClientHistory;
import io.kubechat.pod.support.HistoryChecker.Delivered;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chat client that behaves like a real one (docs/protocol.md, "Session"): one clientId for its
 * whole life; when its connection is lost or closed it reconnects to the next pod of its list, says
 * hello with the same clientId, re-joins its group with {@code since}/{@code epoch}, and resends
 * every unacknowledged message with the SAME id; a retryable error is resent after a short pause.
 * It sends one message per tick while fewer than {@code window} are unacknowledged, until it has
 * sent as many as asked. Everything it receives is recorded for {@link HistoryChecker}.
 *
 * <p>All state lives on the client's own Vert.x context; the recorded lists are safe to read from
 * the test thread.
 */
public final class ResilientChatClient {
  private static final long RETRY_MS = 100;

  private final Vertx vertx;
  private final Context context;
  private final WebSocketClient wsClient;
  private final List<String> hosts;
  private final int port;
  private final String user;
  private final String clientId;
  private final String group;
  private final int window;
  private final long tickMs;

  private final Map<String, String> outbox = new LinkedHashMap<>();
  private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<JsonObject> errors = new CopyOnWriteArrayList<>();
  private final List<JsonObject> notices = new CopyOnWriteArrayList<>();
  private final List<Short> closeCodes = new CopyOnWriteArrayList<>();
  private WebSocket ws;
  private int hostIndex;
  private boolean joined;
  private long lastSeq = -1;
  private String epoch;
  private int created;
  private int target;
  private long ticks;
  private long tickTimer = -1;
  private volatile long joinedAtSeq = -1;
  private volatile boolean everJoined;
  private volatile boolean stopped;
  private volatile boolean finished;
  private volatile String currentHost;

  /** The pod whose session is open (welcome received, not closed yet), or null. */
  private volatile String sessionHost;

  private volatile int outboxSize;
  private volatile int sent;

  /**
   * @param hosts the pods to use, the first one first; on every reconnect the next one
   */
  public ResilientChatClient(
      Vertx vertx,
      List<String> hosts,
      int port,
      String user,
      String clientId,
      String group,
      int window,
      long tickMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.wsClient = vertx.createWebSocketClient();
    this.hosts = List.copyOf(hosts);
    this.port = port;
    this.user = user;
    this.clientId = clientId;
    this.group = group;
    this.window = window;
    this.tickMs = tickMs;
  }

  public ResilientChatClient start() {
    context.runOnContext(
        v -> {
          connect();
          tickTimer = vertx.setPeriodic(tickMs, t -> tick());
        });
    return this;
  }

  /** Sends {@code count} more messages (ids {@code <clientId>-<n>}). */
  public void sendMore(int count) {
    context.runOnContext(v -> target += count);
  }

  /** Creates no more messages than those sent so far (the unacknowledged ones are still resent). */
  public void finishSending() {
    context.runOnContext(
        v -> {
          target = created;
          finished = true;
        });
  }

  /** After {@link #finishSending()}: everything sent is acknowledged. */
  public boolean drained() {
    return finished && outboxSize == 0;
  }

  /** Messages created so far. */
  public int sent() {
    return sent;
  }

  /** Stops reconnecting and closes the connection. */
  public void stop() {
    stopped = true;
    context.runOnContext(
        v -> {
          vertx.cancelTimer(tickTimer);
          if (ws != null) {
            ws.close();
          }
          wsClient.close();
        });
  }

  private void connect() {
    if (stopped) {
      return;
    }
    String host = hosts.get(hostIndex % hosts.size());
    currentHost = host;
    wsClient
        .connect(
            new WebSocketConnectOptions()
                .setHost(host)
                .setPort(port)
                .setURI("/ws")
                .setTimeout(3000))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                hostIndex++;
                vertx.setTimer(RETRY_MS, t -> connect());
                return;
              }
              WebSocket socket = ar.result();
              ws = socket;
              socket.textMessageHandler(text -> onFrame(socket, new JsonObject(text)));
              socket.exceptionHandler(e -> {});
              socket.closeHandler(x -> onClosed(socket));
              socket.writeTextMessage(
                  new JsonObject()
                      .put("type", "hello")
                      .put("user", user)
                      .put("clientId", clientId)
                      .encode());
            });
  }

  private void onClosed(WebSocket socket) {
    if (socket != ws) {
      return;
    }
    closeCodes.add(socket.closeStatusCode() == null ? (short) 1006 : socket.closeStatusCode());
    sessionHost = null;
    ws = null;
    joined = false;
    hostIndex++;
    vertx.setTimer(RETRY_MS, t -> connect());
  }

  private void onFrame(WebSocket socket, JsonObject f) {
    if (socket != ws) {
      return;
    }
    switch (f.getString("type", "")) {
      case "welcome" -> {
        sessionHost = currentHost;
        join();
      }
      case "joined" -> {
        if (f.getBoolean("self", false) && group.equals(f.getString("group"))) {
          onJoined(f);
        }
      }
      case "message" -> {
        long seq = f.getLong("seq");
        delivered.add(
            new Delivered(seq, f.getString("epoch"), f.getString("clientId"), f.getString("id")));
        lastSeq = Math.max(lastSeq, seq);
        epoch = f.getString("epoch");
      }
      case "ack" -> {
        acks.add(new Ack(clientId, f.getString("id"), f.getLong("seq"), f.getString("epoch")));
        outbox.remove(f.getString("id"));
        outboxSize = outbox.size();
      }
      case "error" -> onError(socket, f);
      case "gap", "reset" -> notices.add(f);
      default -> {}
    }
  }

  private void join() {
    JsonObject join = new JsonObject().put("type", "join").put("group", group);
    if (lastSeq >= 0 && epoch != null) {
      join.put("since", lastSeq).put("epoch", epoch);
    }
    ws.writeTextMessage(join.encode());
  }

  private void onJoined(JsonObject f) {
    joined = true;
    if (!everJoined) {
      joinedAtSeq = f.getLong("seq");
      lastSeq = joinedAtSeq;
      epoch = f.getString("epoch");
      everJoined = true;
    }
    // what was sent but not acknowledged, again, with the same ids, in order
    outbox.forEach((id, text) -> write(id, text));
  }

  private void onError(WebSocket socket, JsonObject f) {
    errors.add(f);
    if (!f.getBoolean("retryable", false)) {
      return;
    }
    String ref = f.getString("ref");
    vertx.setTimer(
        RETRY_MS,
        t -> {
          if (socket != ws) {
            return; // a reconnect resends everything anyway
          }
          if ("join".equals(ref)) {
            join();
          } else if (joined && outbox.containsKey(ref)) {
            write(ref, outbox.get(ref));
          }
        });
  }

  private void tick() {
    if (ws != null && ++ticks % Math.max(1, 2000 / tickMs) == 0) {
      ws.writeTextMessage("{\"type\":\"ping\"}"); // stay clear of the idle timeout
    }
    if (joined && created < target && outbox.size() < window) {
      String id = clientId + "-" + (++created);
      String text = "message " + created + " from " + user;
      outbox.put(id, text);
      outboxSize = outbox.size();
      sent = created;
      write(id, text);
    }
  }

  private void write(String id, String text) {
    if (ws != null) {
      ws.writeTextMessage(
          new JsonObject()
              .put("type", "send")
              .put("group", group)
              .put("id", id)
              .put("text", text)
              .encode());
    }
  }

  /** Joined at least once, everything asked for sent and acknowledged. */
  public boolean idle(int expectedSent) {
    return everJoined && sent >= expectedSent && outboxSize == 0;
  }

  /** The pod it is connected to (or connecting to) now. */
  public String sessionHost() {
    return sessionHost;
  }

  public String currentHost() {
    return currentHost;
  }

  public boolean everJoined() {
    return everJoined;
  }

  public long lastSeq() {
    return delivered.stream().mapToLong(Delivered::seq).max().orElse(joinedAtSeq);
  }

  public String clientId() {
    return clientId;
  }

  public ClientHistory history() {
    return new ClientHistory(clientId, joinedAtSeq, delivered);
  }

  public List<Ack> acks() {
    return List.copyOf(acks);
  }

  public List<JsonObject> errors() {
    return List.copyOf(errors);
  }

  public List<JsonObject> notices() {
    return List.copyOf(notices);
  }

  /** How often a pod closed this client with 4001 SHUTDOWN so far. */
  public long shutdownCloses() {
    return closeCodes().stream().filter(c -> c == 4001).count();
  }

  public List<Short> closeCodes() {
    return List.copyOf(closeCodes);
  }

  /** Error frames by code. */
  public Map<String, Integer> errorCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (JsonObject e : errors) {
      counts.merge(e.getString("code"), 1, Integer::sum);
    }
    return counts;
  }

  /** Every ack of every client, for the checker. */
  public static List<Ack> allAcks(List<ResilientChatClient> clients) {
    List<Ack> all = new ArrayList<>();
    clients.forEach(c -> all.addAll(c.acks()));
    return all;
  }
}
