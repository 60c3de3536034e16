package io.kubechat.pod.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A real WebSocket client (Vert.x) that records every frame the pod sends it. */
public final class WsTestClient implements AutoCloseable {
  private final WebSocketClient client;
  private final WebSocket ws;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private volatile Short closeCode;

  private WsTestClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
  }

  public static WsTestClient connect(Vertx vertx, String host, int port) {
    return connect(vertx, options(), host, port);
  }

  /** The options {@link #connect(Vertx, String, int)} uses; tests add TLS to them. */
  public static WebSocketClientOptions options() {
    return new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20);
  }

  public static WsTestClient connect(
      Vertx vertx, WebSocketClientOptions options, String host, int port) {
    WebSocketClient client = vertx.createWebSocketClient(options);
    try {
      WebSocket ws =
          client
              .connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      WsTestClient c = new WsTestClient(client, ws);
      ws.textMessageHandler(t -> c.frames.add(new JsonObject(t)));
      ws.closeHandler(
          v -> c.closeCode = ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode());
      return c;
    } catch (Exception e) {
      client.close();
      throw new AssertionError("cannot connect to " + host + ":" + port, e);
    }
  }

  /** Connects, says hello and waits for welcome. */
  public static WsTestClient hello(
      Vertx vertx, String host, int port, String user, String clientId) {
    WsTestClient c = connect(vertx, host, port);
    c.send(new JsonObject().put("type", "hello").put("user", user).put("clientId", clientId));
    c.await(f -> "welcome".equals(f.getString("type")));
    return c;
  }

  public WsTestClient send(JsonObject frame) {
    return sendText(frame.encode());
  }

  public WsTestClient sendText(String text) {
    ws.writeTextMessage(text);
    return this;
  }

  public WsTestClient sendBinary(byte[] bytes) {
    ws.writeBinaryMessage(Buffer.buffer(bytes));
    return this;
  }

  /** Joins {@code group} and waits for {@code joined self}. */
  public JsonObject join(String group) {
    send(new JsonObject().put("type", "join").put("group", group));
    return await(
        f ->
            "joined".equals(f.getString("type"))
                && group.equals(f.getString("group"))
                && f.getBoolean("self", false));
  }

  /** Waits for (and returns) the first recorded frame matching {@code p}. */
  public JsonObject await(Predicate<JsonObject> p) {
    return await(p, Duration.ofSeconds(10));
  }

  public JsonObject await(Predicate<JsonObject> p, Duration atMost) {
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> frames.stream().anyMatch(p));
    return frames.stream().filter(p).findFirst().orElseThrow();
  }

  /** Waits for an error frame with {@code code}. */
  public JsonObject awaitError(String code) {
    return await(f -> "error".equals(f.getString("type")) && code.equals(f.getString("code")));
  }

  public short awaitClose(Duration atMost) {
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> closeCode != null);
    return closeCode;
  }

  public Short closeCode() {
    return closeCode;
  }

  public List<JsonObject> frames() {
    return frames;
  }

  public long count(Predicate<JsonObject> p) {
    return frames.stream().filter(p).count();
  }

  @Override
  public void close() {
    if (closeCode == null) {
      ws.close();
    }
    client.close();
  }
}
