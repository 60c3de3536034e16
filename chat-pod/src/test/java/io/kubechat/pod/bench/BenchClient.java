package io.kubechat.pod.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A lean protocol client for benchmarks: one WebSocket, sends tracked by id, acks and errors
 * completing the matching future. Message frames go to an optional listener with their receive
 * time.
 */
final class BenchClient implements AutoCloseable {
  /** What a send came to: ack (with seq) or error (with code), and when the answer arrived. */
  record Outcome(boolean acked, long seq, String code, long answeredNanos) {}

  private final WebSocketClient client;
  private final WebSocket ws;
  private final Map<String, CompletableFuture<Outcome>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<JsonObject> welcome = new CompletableFuture<>();
  private final Map<String, CompletableFuture<JsonObject>> joins = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final String clientId;
  private volatile Consumer<ReceivedMessage> messages = m -> {};
  private volatile boolean closed;

  record ReceivedMessage(JsonObject frame, long receivedNanos) {}

  private BenchClient(WebSocketClient client, WebSocket ws, String clientId) {
    this.client = client;
    this.ws = ws;
    this.clientId = clientId;
  }

  static BenchClient connect(Vertx vertx, String host, int port, String user) throws Exception {
    WebSocketClient client =
        vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(2000));
    WebSocket ws =
        client
            .connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    BenchClient c = new BenchClient(client, ws, user + "-" + System.nanoTime());
    ws.textMessageHandler(c::onFrame);
    ws.closeHandler(v -> c.onClose());
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "hello")
            .put("user", user)
            .put("clientId", c.clientId)
            .encode());
    c.welcome.get(5, TimeUnit.SECONDS);
    return c;
  }

  void onMessage(Consumer<ReceivedMessage> listener) {
    this.messages = listener;
  }

  JsonObject join(String group) throws Exception {
    CompletableFuture<JsonObject> joined = new CompletableFuture<>();
    joins.put(group, joined);
    ws.writeTextMessage(new JsonObject().put("type", "join").put("group", group).encode());
    return joined.get(10, TimeUnit.SECONDS);
  }

  /** Sends a fresh message; the future completes with the ack or error for it. */
  CompletableFuture<Outcome> send(String group, String text) {
    return send(group, text, "m" + ids.incrementAndGet());
  }

  /**
   * Sends the message {@code id} (again, after a retryable refusal: as the real clients do, since a
   * pod holds a connection's later messages back until the refused one comes again).
   */
  CompletableFuture<Outcome> send(String group, String text, String id) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    pending.put(id, outcome);
    Future<Void> written =
        ws.writeTextMessage(
            new JsonObject()
                .put("type", "send")
                .put("group", group)
                .put("id", id)
                .put("text", text)
                .encode());
    written.onFailure(e -> fail(id, "WRITE_FAILED"));
    return outcome;
  }

  boolean isClosed() {
    return closed;
  }

  private void onFrame(String text) {
    long now = System.nanoTime();
    JsonObject f = new JsonObject(text);
    switch (f.getString("type", "")) {
      case "welcome" -> welcome.complete(f);
      case "joined" -> {
        if (f.getBoolean("self", false)) {
          CompletableFuture<JsonObject> j = joins.remove(f.getString("group"));
          if (j != null) {
            j.complete(f);
          }
        }
      }
      case "ack" -> {
        CompletableFuture<Outcome> p = pending.remove(f.getString("id"));
        if (p != null) {
          p.complete(new Outcome(true, f.getLong("seq", 0L), null, now));
        }
      }
      case "error" -> {
        String ref = f.getString("ref");
        if (ref != null) {
          CompletableFuture<Outcome> p = pending.remove(ref);
          if (p != null) {
            p.complete(new Outcome(false, 0, f.getString("code"), now));
          }
        }
      }
      case "message" -> messages.accept(new ReceivedMessage(f, now));
      default -> {}
    }
  }

  private void fail(String id, String code) {
    CompletableFuture<Outcome> p = pending.remove(id);
    if (p != null) {
      p.complete(new Outcome(false, 0, code, System.nanoTime()));
    }
  }

  private void onClose() {
    closed = true;
    pending.keySet().forEach(id -> fail(id, "CLOSED"));
  }

  @Override
  public void close() {
    closed = true;
    ws.close();
    client.close();
  }
}
