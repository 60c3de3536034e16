package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Quorum-loss recovery with real pod processes (127.0.13.x, no data directories): two of three pods
 * are killed for good, the group loses its quorum, and POST /admin/recover-quorum on the survivor
 * re-forms it from the survivor's state. The acknowledged history comes back under a new epoch, new
 * pods join the re-formed group as voters, and the group commits again.
 */
class QuorumRecoveryTest {
  private static final List<String> IPS = List.of("127.0.13.2", "127.0.13.3", "127.0.13.4");
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final String RECOVER = "/admin/recover-quorum";

  @Test
  void theSurvivorOfALostMajorityReformsTheGroupWithTheAcknowledgedHistory() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = TestCluster.start("recover", IPS, Map.of())) {
      cluster.awaitAllVoters(LONG);
      String survivor = "pod-1";
      String ip = cluster.ip(survivor);
      Http.Response refused = Http.post(ip, TestCluster.ADMIN_PORT, RECOVER);
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.json().getString("error")).contains("has a quorum");

      String oldEpoch;
      try (WsTestClient alice = WsTestClient.hello(vertx, ip, TestCluster.PORT, "alice", "a-1")) {
        oldEpoch = alice.join("lobby").getString("epoch");
        for (int i = 1; i <= 5; i++) {
          String id = "m" + i;
          alice.send(
              new JsonObject()
                  .put("type", "send")
                  .put("group", "lobby")
                  .put("id", id)
                  .put("text", "before " + i));
          alice.await(f -> "ack".equals(f.getString("type")) && id.equals(f.getString("id")));
        }
      }
      cluster.pod("pod-2").kill();
      cluster.pod("pod-3").kill();
      Awaitility.await("the survivor knows it has no quorum")
          .atMost(LONG)
          .until(() -> Http.get(ip, TestCluster.ADMIN_PORT, "/readyz").status() == 503);

      Http.Response recovered = Http.post(ip, TestCluster.ADMIN_PORT, RECOVER);
      assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
      JsonObject report = recovered.json();
      assertThat(report.getInteger("chatGroups")).isEqualTo(1);
      assertThat(report.getLong("recoveredIndex")).isPositive();
      assertThat(report.getString("group")).isNotEqualTo(report.getString("formerGroup"));

      cluster.start("pod-2");
      cluster.start("pod-3");
      cluster.awaitAllVoters(LONG);
      try (WsTestClient bob = WsTestClient.hello(vertx, cluster.ip("pod-3"), 8080, "bob", "b-1")) {
        bob.send(
            new JsonObject()
                .put("type", "join")
                .put("group", "lobby")
                .put("since", 0)
                .put("epoch", oldEpoch));
        bob.await(f -> "reset".equals(f.getString("type")));
        for (int i = 1; i <= 5; i++) {
          String text = "before " + i;
          JsonObject m = bob.await(f -> text.equals(f.getString("text")));
          assertThat(m.getLong("seq")).isEqualTo(i);
          assertThat(m.getString("epoch")).isNotEqualTo(oldEpoch);
        }
        bob.send(
            new JsonObject()
                .put("type", "send")
                .put("group", "lobby")
                .put("id", "after")
                .put("text", "after the recovery"));
        JsonObject ack =
            bob.await(
                f -> "ack".equals(f.getString("type")) && "after".equals(f.getString("id")),
                Duration.ofSeconds(20));
        assertThat(ack.getLong("seq")).isEqualTo(6);
      }
    } finally {
      vertx.close();
    }
  }

  /**
   * A member of the former group that was only frozen while the others recovered (its pod still
   * exists) learns that its group was re-formed and joins the new one as a new member.
   */
  @Test
  void aFormerMemberThatComesBackJoinsTheReformedGroup() {
    List<String> ips = List.of("127.0.13.12", "127.0.13.13", "127.0.13.14");
    try (TestCluster cluster = TestCluster.start("regroup", ips, Map.of())) {
      cluster.awaitAllVoters(LONG);
      String ip = cluster.ip("pod-1");
      cluster.pod("pod-2").kill();
      cluster.pod("pod-3").pause();
      try {
        Awaitility.await("the survivor knows it has no quorum")
            .atMost(LONG)
            .until(() -> Http.get(ip, TestCluster.ADMIN_PORT, "/readyz").status() == 503);
        Http.Response recovered = Http.post(ip, TestCluster.ADMIN_PORT, RECOVER);
        assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
      } finally {
        cluster.pod("pod-3").resume();
      }
      cluster.start("pod-2");
      cluster.awaitAllVoters(LONG);
      assertThat(cluster.pod("pod-3").logFile()).content().contains("was re-formed by pod-1");
    }
  }
}
