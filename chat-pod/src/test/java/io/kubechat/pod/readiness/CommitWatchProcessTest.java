package io.kubechat.pod.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Four pods, real processes (127.0.14.10-13), with a readiness grace of 5 s and the move of clients
 * after 1.5 s. Two are killed: the two survivors cannot commit and each hears the other unable to
 * either, so they keep their clients (moving would only churn) and stay ready for the grace, then
 * turn not ready. A third is killed: the last pod hears nobody, so it asks its clients to move
 * (4007).
 */
class CommitWatchProcessTest {
  static final int PORT = TestCluster.PORT;
  static final int ADMIN = TestCluster.ADMIN_PORT;

  @Test
  void podsThatCannotCommitStayReadyForTheGraceAndMoveClientsOnlyWhenOthersMayCommit()
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster =
        TestCluster.start(
            "commitwatch",
            List.of("127.0.14.10", "127.0.14.11", "127.0.14.12", "127.0.14.13"),
            Map.of("KUBECHAT_READY_GRACE_MS", "5000", "KUBECHAT_MOVE_CLIENTS_AFTER_MS", "1500"))) {
      cluster.awaitAllVoters(Duration.ofSeconds(60));
      String ip = cluster.ip("pod-4");
      WsTestClient ann = WsTestClient.hello(vertx, ip, PORT, "ann", "c-ann");
      ann.join("g");

      cluster.pod("pod-1").kill();
      cluster.pod("pod-2").kill();
      Awaitility.await("pod-4 cannot commit")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !Http.status(ip, ADMIN).getBoolean("available"));
      long unavailableAt = System.nanoTime();
      JsonObject during = Http.status(ip, ADMIN);
      boolean readyDuringGrace = during.getBoolean("ready");
      Awaitility.await("not ready once the grace is over")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Http.get(ip, ADMIN, "/readyz").status() == 503);
      long unreadyAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unavailableAt);
      assertThat(readyDuringGrace)
          .as("ready while it cannot commit, within the grace: %s", during)
          .isTrue();
      assertThat(unreadyAfterMs).as("the grace is 5 s").isGreaterThan(2_000);
      assertThat(ann.closeCode())
          .as("pod-3 is heard unable to commit too: no move, the connection stays")
          .isNull();

      cluster.pod("pod-3").kill();
      assertThat(ann.awaitClose(Duration.ofSeconds(30)))
          .as("alone, pod-4 asks its clients to move to another pod")
          .isEqualTo((short) 4007);
      WsTestClient bob = WsTestClient.hello(vertx, ip, PORT, "bob", "c-bob");
      Awaitility.await("once per episode: a client that comes back stays")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> bob.closeCode() == null);
      bob.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
