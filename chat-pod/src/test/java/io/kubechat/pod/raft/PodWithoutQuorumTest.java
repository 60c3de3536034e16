package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Three pods, each a real process (127.0.6.30-32); two are killed with kill -9, so the survivor has
 * no quorum: it cannot order anything, but still answers joins (history and members) and leaves
 * from its local state.
 */
class PodWithoutQuorumTest {
  static final int PORT = TestCluster.PORT;

  @Test
  void theLastPodAnswersJoinsAndLeavesFromItsLocalStateAndRefusesSends() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster =
        TestCluster.start(
            "noquorum", List.of("127.0.6.30", "127.0.6.31", "127.0.6.32"), Map.of())) {
      cluster.awaitAllVoters(Duration.ofSeconds(60));
      String survivor = "pod-3";
      String ip = cluster.ip(survivor);
      WsTestClient ann = WsTestClient.hello(vertx, ip, PORT, "ann", "c-ann");
      ann.join("g");
      for (int i = 1; i <= 3; i++) {
        ann.send(
            new JsonObject()
                .put("type", "send")
                .put("group", "g")
                .put("id", "a" + i)
                .put("text", "before the loss " + i));
      }
      JsonObject lastAck =
          ann.await(f -> "ack".equals(f.getString("type")) && "a3".equals(f.getString("id")));
      String epoch = lastAck.getString("epoch");

      cluster.pods().stream().filter(p -> !p.node().equals(survivor)).forEach(PodProcess::kill);
      Awaitility.await("the survivor knows it has no quorum")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(ip, TestCluster.ADMIN_PORT, "/readyz").status() == 503);
      assertThat(Http.status(ip, TestCluster.ADMIN_PORT).getString("consensusReason")).isNotBlank();

      // a client that comes (back) now gets what it missed and the members
      WsTestClient bob = WsTestClient.hello(vertx, ip, PORT, "bob", "c-bob");
      bob.send(
          new JsonObject()
              .put("type", "join")
              .put("group", "g")
              .put("since", 1)
              .put("epoch", epoch));
      JsonObject joined =
          bob.await(
              f -> "joined".equals(f.getString("type")) && f.getBoolean("self", false),
              Duration.ofSeconds(15));
      assertThat(joined.getBoolean("local")).isTrue();
      assertThat(joined.getJsonArray("members")).isEqualTo(new JsonArray(List.of("ann", "bob")));
      assertThat(joined.getLong("seq")).isEqualTo(lastAck.getLong("seq"));
      Awaitility.await().until(() -> bob.count(f -> "message".equals(f.getString("type"))) == 2);
      assertThat(bob.frames())
          .filteredOn(f -> "message".equals(f.getString("type")))
          .extracting(f -> f.getString("id"))
          .containsExactly("a2", "a3");

      // nothing can be ordered: a send fails fast and retryable
      bob.send(
          new JsonObject()
              .put("type", "send")
              .put("group", "g")
              .put("id", "b1")
              .put("text", "lost?"));
      JsonObject refused = bob.awaitError("UNAVAILABLE");
      assertThat(refused.getString("ref")).isEqualTo("b1");
      assertThat(refused.getBoolean("retryable")).isTrue();

      bob.send(new JsonObject().put("type", "leave").put("group", "g"));
      JsonObject left =
          bob.await(
              f -> "left".equals(f.getString("type")) && f.getBoolean("self", false),
              Duration.ofSeconds(15));
      assertThat(left.getBoolean("local")).isTrue();
      assertThat(left.getJsonArray("members")).isEqualTo(new JsonArray(List.of("ann")));

      // a group this pod never saw needs the log for its epoch
      bob.send(new JsonObject().put("type", "join").put("group", "new-group"));
      JsonObject noGroup =
          bob.await(f -> "error".equals(f.getString("type")) && "join".equals(f.getString("ref")));
      assertThat(noGroup.getString("code")).isEqualTo("UNAVAILABLE");
      assertThat(cluster.pod(survivor).isAlive()).isTrue();
      ann.close();
      bob.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
