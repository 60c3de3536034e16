package io.kubechat.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare WebSocket chat client for the end-to-end test (the operator module has no chat client):
 * one connection to one pod, every frame it receives queued as JSON (docs/protocol.md).
 */
final class E2eChat implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final WebSocket ws;

  private E2eChat(WebSocket ws) {
    this.ws = ws;
  }

  /** Connects to {@code host:8080} and says hello as {@code user}. */
  static E2eChat connect(String host, String user) throws Exception {
    E2eChat[] self = new E2eChat[1];
    StringBuilder partial = new StringBuilder();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(
                URI.create("ws://" + host + ":8080/ws"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      try {
                        self[0].frames.add(JSON.readTree(partial.toString()));
                      } catch (Exception e) {
                        throw new IllegalStateException("not JSON: " + partial, e);
                      }
                      partial.setLength(0);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    self[0] = new E2eChat(ws);
    self[0].send(
        JSON.createObjectNode().put("type", "hello").put("user", user).put("clientId", user));
    self[0].next(f -> "welcome".equals(f.path("type").asText()));
    return self[0];
  }

  void send(ObjectNode frame) throws Exception {
    ws.sendText(JSON.writeValueAsString(frame), true).get(5, TimeUnit.SECONDS);
  }

  ObjectNode frame(String type) {
    return JSON.createObjectNode().put("type", type);
  }

  /** The next frame that matches, skipping others; fails after 10 s. */
  JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode f = frames.poll(100, TimeUnit.MILLISECONDS);
      if (f != null && wanted.test(f)) {
        return f;
      }
    }
    throw new AssertionError("no matching frame within 10 s");
  }

  @Override
  public void close() {
    ws.abort();
  }
}
