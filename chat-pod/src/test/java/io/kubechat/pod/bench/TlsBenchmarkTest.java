package io.kubechat.pod.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.InProcessPod;
import io.kubechat.pod.support.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Client TLS on and off (docs/benchmarks.md): one single-pod cluster per mode in this JVM (so the
 * figures compare the modes, not absolute costs), the same client: sequential send-to-ack latency
 * on one connection, and the time from connect to welcome (TCP, TLS handshake, upgrade, hello). Not
 * part of verify (tag "benchmark").
 */
@Tag("benchmark")
class TlsBenchmarkTest {
  private static final int SENDS = Integer.getInteger("bench.tlsSends", 2000);
  private static final int WARM_UP = Integer.getInteger("bench.tlsWarmUp", 500);
  // one sequential sender is far over the default 50 frames/s
  private static final Map<String, String> UNLIMITED =
      Map.of("KUBECHAT_RATE_LIMIT_PER_S", "100000");
  private static final int CONNECTS = Integer.getInteger("bench.tlsConnects", 200);

  @Test
  void ackLatencyAndConnectTimeWithTlsOnAndOff() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "benchmarks"));
    Path tls =
        TestPki.newCa("bench-ca")
            .writeServerDir(Files.createTempDirectory(work, "tls-"), "127.0.24.51");
    StringBuilder out = new StringBuilder("## Client TLS on and off\n\n");
    Vertx vertx = Vertx.vertx();
    try {
      try (InProcessPod plain = InProcessPod.start("127.0.24.50", UNLIMITED)) {
        out.append(run(vertx, new WebSocketClientOptions(), "127.0.24.50", "ws")).append('\n');
      }
      try (InProcessPod secure =
          InProcessPod.start(
              "127.0.24.51",
              Map.of(
                  "KUBECHAT_CLIENT_TLS_DIR",
                  tls.toAbsolutePath().toString(),
                  "KUBECHAT_RATE_LIMIT_PER_S",
                  "100000"))) {
        WebSocketClientOptions options =
            new WebSocketClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(
                    new PemTrustOptions().addCertPath(tls.resolve("ca.crt").toString()));
        out.append(run(vertx, options, "127.0.24.51", "wss")).append('\n');
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    Files.writeString(work.resolve("tls.md"), out);
    System.out.println(out);
  }

  private static String run(Vertx vertx, WebSocketClientOptions options, String ip, String mode)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(options);
    try {
      List<Double> connectMs = new ArrayList<>();
      for (int i = 0; i < CONNECTS; i++) {
        long start = System.nanoTime();
        Session s = Session.open(client, ip, "c" + i);
        connectMs.add((System.nanoTime() - start) / 1e6);
        s.ws.close();
      }
      Session s = Session.open(client, ip, "sender");
      s.request(new JsonObject().put("type", "join").put("group", "bench"), "joined");
      List<Double> ackMs = new ArrayList<>();
      for (int i = 0; i < WARM_UP + SENDS; i++) {
        long start = System.nanoTime();
        JsonObject ack =
            s.request(
                new JsonObject()
                    .put("type", "send")
                    .put("group", "bench")
                    .put("id", "m" + i)
                    .put("text", "x".repeat(100)),
                "ack");
        assertThat(ack.getString("id")).isEqualTo("m" + i);
        if (i >= WARM_UP) {
          ackMs.add((System.nanoTime() - start) / 1e6);
        }
      }
      s.ws.close();
      return String.format(
          "- %s: send-to-ack ms %s; connect-to-welcome ms %s",
          mode, Percentiles.of(ackMs), Percentiles.of(connectMs));
    } finally {
      client.close();
    }
  }

  /** One connection that answers one request at a time: the next frame of the awaited type. */
  private static final class Session {
    final WebSocket ws;
    final AtomicReference<String> awaited = new AtomicReference<>();
    volatile CompletableFuture<JsonObject> pending;

    private Session(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(
          t -> {
            JsonObject f = new JsonObject(t);
            CompletableFuture<JsonObject> p = pending;
            if (p != null && f.getString("type").equals(awaited.get())) {
              p.complete(f);
            } else if (p != null && "error".equals(f.getString("type"))) {
              p.completeExceptionally(new AssertionError("refused: " + f.encode()));
            }
          });
    }

    static Session open(WebSocketClient client, String ip, String clientId) throws Exception {
      WebSocket ws =
          client
              .connect(new WebSocketConnectOptions().setHost(ip).setPort(8080).setURI("/ws"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      Session s = new Session(ws);
      s.request(
          new JsonObject().put("type", "hello").put("user", "bench").put("clientId", clientId),
          "welcome");
      return s;
    }

    JsonObject request(JsonObject frame, String answerType) throws Exception {
      CompletableFuture<JsonObject> p = new CompletableFuture<>();
      awaited.set(answerType);
      pending = p;
      ws.writeTextMessage(frame.encode());
      return p.get(10, TimeUnit.SECONDS);
    }
  }
}
