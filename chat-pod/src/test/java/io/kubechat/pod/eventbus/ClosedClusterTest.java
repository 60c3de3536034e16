package io.kubechat.pod.eventbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.EventBusProbe;
import io.kubechat.pod.support.PodHealth;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.TestPki;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A closed cluster: three pods with a member certificate of one cluster CA form, elect and
 * replicate over a mutual-TLS event bus. Strangers that know the cluster name (so they join
 * Hazelcast, which has no TLS) but hold no certificate of that CA never reach the event bus: they
 * do not become consensus members, cannot send to a pod's consensus address, and the cluster stays
 * healthy. Garbage and a huge length prefix on the TLS port cost the pod nothing.
 */
class ClosedClusterTest {
  private static final List<String> IPS = List.of("127.0.23.12", "127.0.23.13", "127.0.23.14");
  private static final int EB_PORT = 5702;
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final Path PKI = Path.of("target", "closed-cluster-pki");
  private static TestPki clusterCa;
  private static Path memberDir;
  private static Path otherCaDir;
  private static TestCluster cluster;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    clusterCa = TestPki.newCa("kubechat-test-cluster-ca");
    memberDir = clusterCa.writeMemberDir(PKI.resolve("member"), "member").toAbsolutePath();
    // signed by another CA, yet trusting the cluster's too: it accepts the pods, they refuse it
    otherCaDir =
        TestPki.newCa("someone-else")
            .writeDir(PKI.resolve("other-ca"), "stranger-2", clusterCa)
            .toAbsolutePath();
    cluster =
        TestCluster.start("closed", IPS, Map.of("KUBECHAT_CLUSTER_TLS_DIR", memberDir.toString()));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    vertx.close();
  }

  @Test
  // a pod that buffers what it is sent stalls the writes: fail instead of hanging
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void threeTlsPodsFormElectAndReplicate() {
    String leader = cluster.awaitAllVoters(LONG);
    assertThat(leader).isNotNull();
    assertThat(PodHealth.logLines(cluster.pod("pod-1")))
        .anyMatch(l -> l.contains("closed cluster: the event bus accepts only mutual TLS"));
    assertMessagesFlowBetweenPods("replicated");
  }

  @Test
  // a pod that buffers what it is sent stalls the writes: fail instead of hanging
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void strangersWithoutACertificateOfTheClusterCaNeverJoin() {
    String leader = cluster.awaitAllVoters(LONG);
    List<String> members = sortedMembers(leader);
    int linesBefore = PodHealth.logLines(cluster.pod("pod-2")).size();
    PodProcess noCert =
        cluster.startOutsider("stranger-1", "127.0.23.19", Map.of("KUBECHAT_CLUSTER_TLS_DIR", ""));
    PodProcess otherCa =
        cluster.startOutsider(
            "stranger-2", "127.0.23.20", Map.of("KUBECHAT_CLUSTER_TLS_DIR", otherCaDir.toString()));
    try {
      // they do join Hazelcast (no TLS there): the pods see their heartbeats' absence, not them
      Awaitility.await("the strangers run and are in the Hazelcast cluster")
          .atMost(LONG)
          .until(
              () ->
                  PodHealth.logLines(noCert).stream().anyMatch(l -> l.contains("listening on"))
                      && PodHealth.logLines(otherCa).stream()
                          .anyMatch(l -> l.contains("listening on")));
      Awaitility.await("the consensus members stay the three pods")
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(30))
          .until(() -> sortedMembers(cluster.awaitAgreedLeader(LONG)).equals(members));
      assertThat(noCert.isAlive() && otherCa.isAlive()).as("both strangers still running").isTrue();
      assertMessagesFlowBetweenPods("strangers around");
      List<String> lines = PodHealth.logLines(cluster.pod("pod-2"));
      List<String> during = lines.subList(linesBefore, lines.size());
      assertThat(PodHealth.stackTraceLines(during))
          .as("stack-trace lines on pod-2 while strangers knock:\n%s", String.join("\n", during))
          .isLessThan(60);
    } finally {
      noCert.kill();
      otherCa.kill();
    }
  }

  @Test
  // a pod that buffers what it is sent stalls the writes: fail instead of hanging
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void onlyAHolderOfAClusterCertificateGetsPastTheHandshake() throws Exception {
    cluster.awaitAllVoters(LONG);
    String pod = cluster.ip("pod-2");
    // control: a member certificate is accepted and the connection stays open
    try (EventBusProbe member = EventBusProbe.tls(pod, EB_PORT, memberDir)) {
      assertThat(member.closedByPeer(Duration.ofSeconds(2))).as("member connection").isFalse();
    }
    // a consensus message as a stranger would send it: it never gets past the handshake
    byte[] toConsensus =
        WireFrames.frame(
            "kubechat.raft.pod-2",
            MultiMap.caseInsensitiveMultiMap().add("k", "add"),
            new JsonObject().put("node", "stranger").put("member", "m-x"),
            CodecManager.JSON_OBJECT_MESSAGE_CODEC);
    for (Path dir : new Path[] {null, otherCaDir}) {
      try (EventBusProbe stranger = EventBusProbe.tls(pod, EB_PORT, dir)) {
        stranger.write(toConsensus);
        assertThat(stranger.closedByPeer(Duration.ofSeconds(10)))
            .as("connection with %s", dir == null ? "no certificate" : "another CA's certificate")
            .isTrue();
      } catch (SSLException refusedAtHandshake) {
        // as good: the handshake itself failed
      }
    }
    assertMessagesFlowBetweenPods("after strangers knocked");
  }

  @Test
  // a pod that buffers what it is sent stalls the writes: fail instead of hanging
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void garbageAndAHugeLengthPrefixOnTheTlsPortCostNothing() throws Exception {
    cluster.awaitAllVoters(LONG);
    PodProcess target = cluster.pod("pod-3");
    int linesBefore = PodHealth.logLines(target).size();
    long oldGenBefore = PodHealth.oldGenBytes(target.ip());
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] noise = new byte[1024];
      random.nextBytes(noise);
      if (i % 2 == 0) {
        System.arraycopy(EventBusProbe.prefix(0x7fffffff), 0, noise, 0, 4);
      }
      try (EventBusProbe p = EventBusProbe.plain(target.ip(), EB_PORT)) {
        p.write(noise);
        if (i % 20 == 0) {
          assertThat(p.closedByPeer(Duration.ofSeconds(10))).isTrue();
        }
      }
    }
    // a certificate holder is trusted to be a pod, but not with its frame lengths
    try (EventBusProbe insider = EventBusProbe.tls(target.ip(), EB_PORT, memberDir)) {
      long written = insider.writeUntilClosed(EventBusProbe.prefix(0x7fffffff), 512L << 20);
      assertThat(written).isLessThan(64L << 20);
      assertThat(insider.closedByPeer(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(PodHealth.oldGenBytes(target.ip()) - oldGenBefore).isLessThan(32L << 20);
    assertMessagesFlowBetweenPods("after garbage");
    List<String> lines = PodHealth.logLines(target);
    List<String> during = lines.subList(linesBefore, lines.size());
    assertThat(PodHealth.stackTraceLines(during))
        .as("stack-trace lines:\n%s", String.join("\n", during))
        .isLessThan(60);
    assertThat(during.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
        .as("warnings and errors during 200 garbage connections:\n%s", String.join("\n", during))
        .hasSizeLessThanOrEqualTo(6);
  }

  private static void assertMessagesFlowBetweenPods(String text) {
    cluster.awaitAgreedLeader(LONG);
    String id = Long.toString(System.nanoTime());
    try (WsTestClient alice =
            WsTestClient.hello(vertx, cluster.ip("pod-1"), TestCluster.PORT, "alice", "a-" + id);
        WsTestClient bob =
            WsTestClient.hello(vertx, cluster.ip("pod-3"), TestCluster.PORT, "bob", "b-" + id)) {
      alice.join("lobby");
      bob.join("lobby");
      alice.send(
          new JsonObject()
              .put("type", "send")
              .put("group", "lobby")
              .put("id", id)
              .put("text", text));
      assertThat(alice.await(f -> "ack".equals(f.getString("type")))).isNotNull();
      assertThat(
              bob.await(
                  f -> "message".equals(f.getString("type")) && text.equals(f.getString("text"))))
          .isNotNull();
    }
  }

  private static List<String> sortedMembers(String observer) {
    return cluster.raftMembers(observer).stream().sorted(Comparator.naturalOrder()).toList();
  }
}
