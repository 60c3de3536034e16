package io.kubechat.pod.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.InProcessPod;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KUBECHAT_MAX_CONNECTIONS on a real pod: past the cap a request (plain or WebSocket upgrade) is
 * answered 503 TOO_MANY_CONNECTIONS and its connection closed, the refusals are counted, the admin
 * port still answers, and a freed place is taken again.
 */
class ConnectionCapTest {
  static final String HOST = "127.0.21.3";
  static final int PORT = InProcessPod.PORT;
  static final int CAP = 10;

  static InProcessPod pod;

  @BeforeAll
  static void startPod() throws Exception {
    pod =
        InProcessPod.start(
            HOST,
            Map.of(
                "KUBECHAT_MAX_CONNECTIONS",
                Integer.toString(CAP),
                // the holders below send nothing: keep them until the test closes them
                "KUBECHAT_HTTP_HEADER_TIMEOUT_S",
                "120"));
  }

  @AfterAll
  static void stopPod() throws Exception {
    if (pod != null) {
      pod.close();
    }
  }

  @Test
  void connectionsOverTheCapAreRefusedWith503() throws Exception {
    List<Socket> holders = new ArrayList<>();
    try {
      for (int i = 0; i < CAP; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(HOST, PORT), 3000);
        holders.add(s);
      }
      Awaitility.await("the pod holds " + CAP + " client connections")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  pod.metrics()
                      .contains("kubechat_http_connections{port=\"client\"} " + CAP + ".0"));

      String refused = exchange("GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
      assertThat(refused).startsWith("HTTP/1.1 503").contains("TOO_MANY_CONNECTIONS");
      String upgrade =
          exchange(
              "GET /ws HTTP/1.1\r\nHost: "
                  + HOST
                  + "\r\n"
                  + "Upgrade: websocket\r\n"
                  + "Connection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n");
      assertThat(upgrade).startsWith("HTTP/1.1 503").contains("TOO_MANY_CONNECTIONS");
      // probes and the operator are not refused: the admin port has no cap
      assertThat(Http.get(HOST, InProcessPod.ADMIN_PORT, "/readyz").status()).isEqualTo(200);
      assertThat(pod.metrics())
          .containsPattern("kubechat_http_connections_refused_total\\{port=\"client\"} [2-9]");
    } finally {
      for (Socket s : holders) {
        s.close();
      }
    }
    Awaitility.await("a freed place is served again")
        .atMost(Duration.ofSeconds(10))
        .until(() -> Http.get(HOST, PORT, "/").status() == 200);
  }

  /** Sends {@code request} on a new connection and reads until the pod closes it. */
  private static String exchange(String request) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, PORT), 3000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      // readAllBytes returns only at the end of the stream: the pod closed the connection
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
