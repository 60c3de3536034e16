package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A pod that is not allowed to bootstrap and finds no consensus group (127.0.6.20, a process)
 * serves HTTP anyway: alive, not ready with the reason, no WebSocket clients yet.
 */
class PodWithoutGroupTest {

  @Test
  void aPodWaitingForAGroupIsAliveButNotReadyAndSaysWhy() throws Exception {
    PodProcess pod =
        new PodProcess(
            "lonely",
            "127.0.6.20",
            Map.of(
                "KUBECHAT_CLUSTER_NAME",
                "lonely-" + UUID.randomUUID(),
                "KUBECHAT_RAFT_DISCOVERY_WINDOW_MS",
                "300"),
            Path.of("target", "lonely-logs"));
    Vertx vertx = Vertx.vertx();
    try {
      pod.start();
      Awaitility.await("healthz")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Http.get(pod.ip(), TestCluster.ADMIN_PORT, "/healthz").status() == 200);
      Http.Response ready = Http.get(pod.ip(), TestCluster.ADMIN_PORT, "/readyz");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().getBoolean("ready")).isFalse();
      assertThat(ready.json().getString("reason")).startsWith("joining the consensus group");
      JsonObject s = Http.status(pod.ip(), TestCluster.ADMIN_PORT);
      assertThat(s.getString("role")).isEqualTo("NONE");
      assertThat(s.getValue("leader")).isNull();
      assertThat(s.getBoolean("ready")).isFalse();
      assertThat(s.getString("consensusReason")).isNotBlank();
      assertThat(s.getJsonArray("raftMembers")).isEmpty();
      assertThat(s.getJsonArray("members").getJsonObject(0).getBoolean("voter")).isFalse();

      try {
        vertx
            .createWebSocketClient()
            .connect(new WebSocketConnectOptions().setHost(pod.ip()).setPort(8080).setURI("/ws"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        throw new AssertionError("a WebSocket was accepted before the pod joined a group");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
        assertThat(((UpgradeRejectedException) e.getCause()).getStatus()).isEqualTo(503);
      }
      assertThat(pod.isAlive()).as("still waiting for a group; log:\n%s", pod.logTail()).isTrue();
    } finally {
      pod.kill();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
