package io.kubechat.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Starts each image under runc: its layers on a JRE base made of Debian packages ({@link
 * DebianJreBase}), run as the image says (entry point, user, working directory, environment), then
 * probed over HTTP like a kubelet would, and used: a client chats with the chat pod; the operator
 * reconciles a ChatCluster in fabric8's mock API server.
 */
class ImageRunTest {
  /** This module's loopback range; the ports are the images' own. */
  private static final String POD_IP = "127.0.9.2";

  private static final String OPERATOR_IP = "127.0.9.3";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** 200 MB each; the bundle's config.json and container.log stay for a look after a failure. */
  @AfterEach
  void removeRootFileSystems() throws IOException {
    for (String module : List.of("chat-pod", "operator")) {
      DebianJreBase.deleteRecursively(Bundle.dir(module).resolve("rootfs"));
    }
  }

  @Test
  void chatPodFromItsImageAnswersProbesAndChats() throws Exception {
    Bundle bundle = Bundle.of("chat-pod");
    List<String> env =
        List.of(
            "KUBECHAT_NODE_NAME=image-test",
            "KUBECHAT_POD_IP=" + POD_IP,
            "KUBECHAT_CLUSTER_NAME=image-test",
            "KUBECHAT_BOOTSTRAP=true",
            "KUBECHAT_AUTH=none");

    try (RuncContainer pod = bundle.start(env)) {
      // probes are on the admin port (KUBECHAT_ADMIN_PORT's default), chat on the client port
      URI admin = URI.create("http://" + POD_IP + ":9090");
      awaitOk(pod, admin.resolve("/healthz"), Duration.ofSeconds(90));
      awaitOk(pod, admin.resolve("/readyz"), Duration.ofSeconds(60));

      chatsThrough(URI.create("ws://" + POD_IP + ":8080/ws"));

      stopsOnSigterm(pod);
      assertThat(pod.log()).contains("listening on http://" + POD_IP + ":8080/ (admin port 9090)");
    }
  }

  @Test
  void operatorFromItsImageReconcilesAChatCluster() throws Exception {
    Bundle bundle = Bundle.of("operator");
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesMixedDispatcher(new HashMap<>()),
            false);
    api.init(InetAddress.getByName(OPERATOR_IP), 0);
    try (KubernetesClient client = api.createClient()) {
      client
          .resource(Repo.only(Repo.parse(Repo.CRD), CustomResourceDefinition.class, null))
          .create();
      List<String> env =
          List.of(
              "KUBERNETES_MASTER=" + client.getMasterUrl(),
              "KUBERNETES_AUTH_TRYKUBECONFIG=false",
              "KUBERNETES_AUTH_TRYSERVICEACCOUNT=false",
              "KUBECHAT_OPERATOR_HTTP_HOST=" + OPERATOR_IP,
              "KUBECHAT_OPERATOR_LEADER_ELECTION=false");

      try (RuncContainer operator = bundle.start(env)) {
        URI http = URI.create("http://" + OPERATOR_IP + ":8080");
        awaitOk(operator, http.resolve("/healthz"), Duration.ofSeconds(90));
        awaitOk(operator, http.resolve("/readyz"), Duration.ofSeconds(60));

        for (HasMetadata cluster : Repo.parse(Repo.DEPLOY.resolve("examples/minimal.yaml"))) {
          cluster.getMetadata().setNamespace("default");
          client.resource(cluster).create();
        }
        List<Pod> pods =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(
                    () -> client.pods().inNamespace("default").list().getItems(),
                    p -> !p.isEmpty());
        if (Images.PREFIX.equals("kubechat")) {
          assertThat(pods.get(0).getSpec().getContainers().get(0).getImage())
              .as("the operator's default chat pod image is the chat pod image")
              .isEqualTo(Images.reference("chat-pod"));
        }

        stopsOnSigterm(operator);
      }
    } finally {
      api.destroy();
    }
  }

  /** An image unpacked on the Debian JRE base in target/runc/module, ready for runc. */
  private record Bundle(String module, OciImage image, DebianJreBase base, Path dir) {
    static Bundle of(String module) {
      OciImage image = OciImage.read(Images.tarball(module));
      RuncContainer.unavailable().ifPresent(reason -> Images.require(false, reason));
      Images.require(
          DebianJreBase.installed(), "it needs the Debian packages " + DebianJreBase.PACKAGES);
      Path dir = dir(module);
      DebianJreBase base = DebianJreBase.assemble(dir.resolve("rootfs"));
      image.unpack(base.rootfs());
      return new Bundle(module, image, base, dir);
    }

    static Path dir(String module) {
      return Path.of("target/runc", module).toAbsolutePath();
    }

    RuncContainer start(List<String> env) {
      String id = "kubechat-test-" + module + "-" + ProcessHandle.current().pid();
      return RuncContainer.start(dir, id, image.config().config(), base.env(), env);
    }
  }

  private static void stopsOnSigterm(RuncContainer container) throws InterruptedException {
    container.signal("TERM");
    Integer status = container.awaitExit(Duration.ofSeconds(30)).orElse(null);
    // 143 is 128 + SIGTERM: the JVM's status after its shutdown hooks ran.
    assertThat(status).as("exit status; container log:%n%s", container.log()).isIn(0, 143);
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

  private static void awaitOk(RuncContainer container, URI uri, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .failFast(
            () -> assertThat(container.exited()).as("exited; log:%n%s", container.log()).isFalse())
        .untilAsserted(
            () ->
                assertThat(status(uri))
                    .as("%s; container log:%n%s", uri, container.log())
                    .isEqualTo(200));
  }

  private static int status(URI uri) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1; // not listening yet
    }
  }
}
