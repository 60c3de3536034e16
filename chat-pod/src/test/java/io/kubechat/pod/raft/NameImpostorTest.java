package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A second process started under a live pod's name (127.0.12.9, same cluster settings) must get
 * neither the real pod removed from the consensus group nor itself added: the leader sees the real
 * member answer its Raft messages, whatever the heartbeat table says about the name.
 */
class NameImpostorTest {
  private static final List<String> IPS = List.of("127.0.12.2", "127.0.12.3", "127.0.12.4");
  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void aSecondProcessUnderALivePodsNameNeitherRemovesThePodNorJoins() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = TestCluster.start("impostor", IPS, Map.of())) {
      String leader = cluster.awaitAllVoters(LONG);
      List<String> members = sortedMembers(cluster, leader);
      PodProcess impostor = cluster.startOutsider("pod-2", "127.0.12.9", Map.of());
      try {
        Awaitility.await("the leader refuses the second pod-2")
            .atMost(LONG)
            .until(
                () ->
                    Files.readString(cluster.pod(leader).logFile().toPath())
                        .contains("its pod name is held by"));
        // for longer than a dead member's removal (3 s here), the real pod-2 stays a voter
        Awaitility.await("the consensus members stay as they were")
            .during(Duration.ofSeconds(6))
            .atMost(Duration.ofSeconds(20))
            .until(() -> sortedMembers(cluster, cluster.awaitAgreedLeader(LONG)).equals(members));
        try (WsTestClient alice =
            WsTestClient.hello(vertx, cluster.ip("pod-2"), 8080, "alice", "a-1")) {
          alice.join("lobby");
          alice.send(
              new JsonObject()
                  .put("type", "send")
                  .put("group", "lobby")
                  .put("id", "1")
                  .put("text", "still here"));
          assertThat(alice.await(f -> "ack".equals(f.getString("type")))).isNotNull();
        }
      } finally {
        impostor.kill();
      }
    } finally {
      vertx.close();
    }
  }

  private static List<String> sortedMembers(TestCluster cluster, String observer) {
    return cluster.raftMembers(observer).stream().sorted(Comparator.naturalOrder()).toList();
  }
}
