package io.kubechat.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Starts a real chat pod from the chat pod image under runc: the image's layers on a JRE base made
 * of Debian packages ({@link DebianJreBase}), run as the image says (entry point, user, working
 * directory), then probed and chatted with over its HTTP port like a kubelet and a client would.
 */
class ChatPodImageRunTest {
  /** This module's loopback range; the pod's three ports are the image's. */
  private static final String POD_IP = "127.0.9.2";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void chatPodFromTheImageAnswersProbesAndChatsUnderRunc() throws Exception {
    OciImage image = OciImage.read(Images.tarball("chat-pod"));
    Images.require(RuncContainer.unavailable().isEmpty(), RuncContainer.unavailable().orElse(""));
    Images.require(
        DebianJreBase.installed(), "it needs the Debian packages " + DebianJreBase.PACKAGES);

    Path bundle = Path.of("target/runc/chat-pod").toAbsolutePath();
    DebianJreBase base = DebianJreBase.assemble(bundle.resolve("rootfs"));
    image.unpack(base.rootfs());
    List<String> podEnv =
        List.of(
            "KUBECHAT_NODE_NAME=image-test",
            "KUBECHAT_POD_IP=" + POD_IP,
            "KUBECHAT_CLUSTER_NAME=image-test",
            "KUBECHAT_BOOTSTRAP=true");
    String id = "kubechat-image-test-" + ProcessHandle.current().pid();

    try (RuncContainer pod =
        RuncContainer.start(bundle, id, image.config().config(), base.env(), podEnv)) {
      URI http = URI.create("http://" + POD_IP + ":8080");
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(get(http.resolve("/healthz")))
                      .as("/healthz; container log:%n%s", pod.log())
                      .isEqualTo(200));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(get(http.resolve("/readyz"))).isEqualTo(200));

      chatsThrough(URI.create("ws://" + POD_IP + ":8080/ws"));

      pod.signal("TERM");
      Integer status = pod.awaitExit(Duration.ofSeconds(30)).orElse(null);
      // 143 (128 + SIGTERM) until the pod exits 0 after a clean stop.
      assertThat(status).as("exit status; container log:%n%s", pod.log()).isIn(0, 143);
      assertThat(pod.log()).contains("listening on http://" + POD_IP + ":8080/");
    }
  }

  /** hello, join, send: the message comes back acknowledged and delivered, at seq 1. */
  private static void chatsThrough(URI ws) throws Exception {
    List<Map<String, Object>> frames = new CopyOnWriteArrayList<>();
    WebSocket socket =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                ws,
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  @SuppressWarnings("unchecked")
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      frames.add(Serialization.unmarshal(text.toString(), Map.class));
                      text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                  }
                })
            .get();
    try {
      send(socket, "{\"type\":\"hello\",\"user\":\"alice\",\"clientId\":\"alice-1\"}");
      awaitFrame(frames, "welcome");
      send(socket, "{\"type\":\"join\",\"group\":\"lobby\"}");
      awaitFrame(frames, "joined");
      send(socket, "{\"type\":\"send\",\"group\":\"lobby\",\"id\":\"m1\",\"text\":\"from runc\"}");
      Map<String, Object> ack = awaitFrame(frames, "ack");
      Map<String, Object> message = awaitFrame(frames, "message");

      assertThat(ack).containsEntry("id", "m1").containsEntry("seq", 1);
      assertThat(message)
          .containsEntry("text", "from runc")
          .containsEntry("from", "alice")
          .containsEntry("node", "image-test");
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  private static void send(WebSocket socket, String frame) throws Exception {
    socket.sendText(frame, true).get();
  }

  private static Map<String, Object> awaitFrame(List<Map<String, Object>> frames, String type) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> frames.stream().filter(f -> type.equals(f.get("type"))).findFirst().orElse(null),
            f -> f != null);
  }

  private static int get(URI uri) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
