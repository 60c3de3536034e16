package io.kubechat.pod.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.InProcessPod;
import io.kubechat.pod.support.RawWebSocket;
import io.kubechat.pod.support.Slowloris;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client port against misbehaving clients, on a real pod with real sockets (docs/security.md):
 * the admin paths are not on it, slowloris and idle connections are closed, established WebSockets
 * are not, invalid UTF-8 closes 1007, a ping flood is rate limited and closed 4004.
 */
class HttpHardeningTest {
  static final String HOST = "127.0.21.2";
  static final int PORT = InProcessPod.PORT;
  static final int ADMIN_PORT = InProcessPod.ADMIN_PORT;
  static final int HEADER_TIMEOUT_S = 2;
  static final int IDLE_TIMEOUT_S = 2;

  static InProcessPod pod;
  static Vertx clients;

  @BeforeAll
  static void startPod() throws Exception {
    pod =
        InProcessPod.start(
            HOST,
            Map.of(
                "KUBECHAT_HTTP_HEADER_TIMEOUT_S",
                Integer.toString(HEADER_TIMEOUT_S),
                "KUBECHAT_HTTP_IDLE_TIMEOUT_S",
                Integer.toString(IDLE_TIMEOUT_S),
                "KUBECHAT_RATE_LIMIT_PER_S",
                "20",
                "KUBECHAT_MAX_CONNECTIONS",
                "2000"));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stopPod() throws Exception {
    if (clients != null) {
      clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (pod != null) {
      pod.close();
    }
  }

  @Test
  void adminPathsAreOnlyOnTheAdminPort() {
    for (String path : new String[] {"/status", "/metrics", "/healthz", "/readyz"}) {
      assertThat(Http.get(HOST, PORT, path).status()).as("client port %s", path).isEqualTo(404);
      assertThat(Http.get(HOST, ADMIN_PORT, path).status())
          .as("admin port %s", path)
          .isEqualTo(200);
    }
    assertThat(Http.post(HOST, PORT, "/admin/recover-quorum").status()).isEqualTo(404);
    assertThat(Http.status(HOST, ADMIN_PORT).getString("node")).isEqualTo("solo-" + HOST);
    // the page and the WebSocket stay on the client port, and only there
    assertThat(Http.get(HOST, PORT, "/").body()).contains("kubechat");
    assertThat(Http.get(HOST, ADMIN_PORT, "/").status()).isEqualTo(404);
    try (WsTestClient c = WsTestClient.hello(clients, HOST, PORT, "ann", "ann-1")) {
      assertThat(c.frames()).isNotEmpty();
    }
    assertThat(pod.metrics())
        .contains("kubechat_http_connections{port=\"client\"}")
        .contains("kubechat_http_connections{port=\"admin\"}");
  }

  @Test
  void slowlorisConnectionsAreClosedByTheHeaderTimeout() throws Exception {
    // 300 connections dribbling a header byte every second (and some silent): each must be closed
    // about HEADER_TIMEOUT_S after it opened, whatever it sends
    Slowloris.Result r = Slowloris.run(HOST, PORT, 300, 1000, 30_000);
    assertThat(r.closedByServer()).as("closed by the pod of %s", r.opened()).isEqualTo(300);
    assertThat(r.lastCloseMs()).isLessThan(15_000);
    assertThat(pod.metrics())
        .containsPattern(
            "kubechat_http_connections_timed_out_total\\{port=\"client\",reason=\"header_timeout\"}"
                + " [1-9][0-9]{2}");
    // and the pod still serves
    assertThat(Http.get(HOST, PORT, "/").status()).isEqualTo(200);
  }

  @Test
  void aKeptAliveConnectionWithoutANextRequestIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, PORT), 3000);
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200");
      int length = Integer.parseInt(header(head, "content-length"));
      assertThat(in.readNBytes(length)).hasSize(length);
      // keep-alive: the pod now waits for a next request, at most the idle timeout
      long start = System.nanoTime();
      assertThat(in.read()).as("end of stream").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }
  }

  @Test
  void anEstablishedWebSocketOutlivesTheHttpTimeouts() {
    try (WsTestClient silent = WsTestClient.hello(clients, HOST, PORT, "sam", "sam-1")) {
      // silent for over twice the header and idle timeouts: only the client idle sweep (30 s) may
      // close it
      Awaitility.await("WebSocket stays open")
          .during(Duration.ofSeconds(3L * Math.max(HEADER_TIMEOUT_S, IDLE_TIMEOUT_S)))
          .atMost(Duration.ofSeconds(15))
          .until(() -> silent.closeCode() == null);
      silent.send(new JsonObject().put("type", "ping").put("ref", "still-here"));
      silent.await(f -> "pong".equals(f.getString("type")));
    }
  }

  @Test
  void closedWebSocketsLeaveTheConnectionCount() {
    double before = clientConnections();
    List<WsTestClient> open = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      open.add(WsTestClient.hello(clients, HOST, PORT, "w" + i, "w-" + i));
    }
    assertThat(clientConnections()).isGreaterThanOrEqualTo(before + 20);
    open.forEach(WsTestClient::close);
    // an upgraded connection is counted until it closes, and no longer: no leak towards the cap
    Awaitility.await("WebSockets no longer counted")
        .atMost(Duration.ofSeconds(10))
        .until(() -> clientConnections() <= before);
  }

  private static double clientConnections() {
    return pod.metrics()
        .lines()
        .filter(l -> l.startsWith("kubechat_http_connections{port=\"client\"}"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void invalidUtf8InATextFrameClosesWith1007() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(HOST, PORT)) {
      // a valid two-byte character split across a fragment and its continuation is fine
      byte[] e = "é".getBytes(StandardCharsets.UTF_8);
      ws.sendFrame(
          0x1,
          concat("{\"type\":\"ping\",\"ref\":\"h".getBytes(StandardCharsets.UTF_8), e[0]),
          false);
      ws.sendFrame(0x0, concat(new byte[] {e[1]}, "\"}".getBytes(StandardCharsets.UTF_8)), true);
      RawWebSocket.Frame pong = ws.readFrame();
      assertThat(new JsonObject(pong.text()).getString("ref")).isEqualTo("hé");
      // 0xC3 0x28 is not UTF-8
      ws.sendFrame(
          0x1,
          concat(
              concat("{\"type\":\"ping\",\"ref\":\"".getBytes(StandardCharsets.UTF_8), (byte) 0xC3),
              "(\"}".getBytes(StandardCharsets.UTF_8)),
          true);
      assertThat(ws.awaitCloseCode()).isEqualTo(1007);
    }
    assertThat(pod.metrics())
        .containsPattern("kubechat_frames_rejected_total\\{code=\"INVALID_UTF8\"} [1-9]");
  }

  @Test
  void aPingFloodIsRateLimitedAndClosed() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(HOST, PORT)) {
      // 20 frames per second allowed (bursts of 40); 300 control pings at once are a flood
      for (int i = 0; i < 300; i++) {
        ws.sendPing(new byte[] {(byte) i});
      }
      boolean rateLimited = false;
      int code;
      while (true) {
        RawWebSocket.Frame f = ws.readFrame();
        if (f.opcode() == RawWebSocket.Frame.TEXT) {
          JsonObject frame = new JsonObject(f.text());
          rateLimited |= "RATE_LIMITED".equals(frame.getString("code"));
        } else if (f.opcode() == RawWebSocket.Frame.CLOSE) {
          code = f.closeCode();
          break;
        }
      }
      assertThat(rateLimited).as("a RATE_LIMITED error before the close").isTrue();
      assertThat(code).isEqualTo(4004);
    }
  }

  private static byte[] concat(byte[] a, byte b) {
    return concat(a, new byte[] {b});
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed during the response head: " + head);
      }
      head.append((char) c);
    }
    return head.toString();
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " in " + head);
  }
}
