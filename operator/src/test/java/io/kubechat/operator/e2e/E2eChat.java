package io.kubechat.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** Messages a test wrote and had acknowledged, and the epoch of the last ack. */
  record Written(List<String> texts, String epoch) {}

  /** The history a client read back, in seq order from 1, and the epoch it was read under. */
  record History(List<String> texts, String epoch) {}

  /**
   * Joins {@code group} on {@code host} and sends {@code count} messages, each resent under its id
   * until acknowledged (a refusal is retryable: an election), as a client does.
   */
  static Written writeAcked(String host, String group, int count) throws Exception {
    List<String> acked = new ArrayList<>();
    String epoch = null;
    try (E2eChat chat = connect(host, "writer-" + group)) {
      chat.send(chat.frame("join").put("group", group));
      chat.next(f -> f.path("type").asText().equals("joined") && f.path("self").asBoolean());
      for (int i = 1; i <= count; i++) {
        ObjectNode send = chat.frame("send").put("group", group).put("id", "m" + i);
        send.put("text", group + " " + i);
        JsonNode answer = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answer == null || !answer.path("type").asText().equals("ack")) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("not acknowledged within 30 s: " + send + ", last " + answer);
          }
          chat.send(send);
          answer =
              chat.next(
                  f ->
                      send.get("id").equals(f.has("ref") ? f.get("ref") : f.get("id"))
                          && !f.path("type").asText().equals("message"));
        }
        epoch = answer.path("epoch").asText();
        acked.add(send.get("text").asText());
      }
    }
    return new Written(acked, epoch);
  }

  /**
   * Joins {@code group} on {@code host} with since 0 and reads its whole history: as many messages
   * as the {@code joined} answer's last seq, each with the next seq from 1.
   */
  static History readBack(String host, String group) throws Exception {
    try (E2eChat reader = connect(host, "reader-" + group)) {
      reader.send(reader.frame("join").put("group", group).put("since", 0));
      JsonNode joined =
          reader.next(f -> f.path("type").asText().equals("joined") && f.path("self").asBoolean());
      List<String> texts = new ArrayList<>();
      for (long seq = 1; seq <= joined.path("seq").asLong(); seq++) {
        JsonNode m = reader.next(f -> f.path("type").asText().equals("message"));
        if (m.path("seq").asLong() != seq) {
          throw new AssertionError("expected seq " + seq + ", got " + m);
        }
        texts.add(m.path("text").asText());
      }
      return new History(texts, joined.path("epoch").asText());
    }
  }

  @Override
  public void close() {
    ws.abort();
  }
}
