package io.kubechat.pod.eventbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.raft.RaftAddresses;
import io.kubechat.pod.support.EventBusProbe;
import io.kubechat.pod.support.PodHealth;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An open cluster (no cluster TLS): what a stranger writes to a pod's event-bus port. A huge length
 * prefix, followed by as many bytes as it likes, must not make the pod buffer them (without the
 * guard the pod's 256 MiB heap runs out); garbage must not make it log a stack trace per frame; and
 * the cluster keeps working.
 */
class EventBusFrameGuardTest {
  private static final List<String> IPS = List.of("127.0.23.2", "127.0.23.3", "127.0.23.4");
  private static final int EB_PORT = 5702;
  private static final Duration LONG = Duration.ofSeconds(60);
  private static TestCluster cluster;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    cluster = TestCluster.start("eb-guard", IPS, Map.of());
    cluster.awaitAllVoters(LONG);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    vertx.close();
  }

  @Test
  // a pod that buffers what it is sent stalls the writes: fail instead of hanging
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aHugeLengthPrefixIsRefusedBeforeAnythingIsBuffered() throws Exception {
    PodProcess target = cluster.pod("pod-2");
    long oldGenBefore = PodHealth.oldGenBytes(target.ip());
    for (int length : new int[] {0x7fffffff, 0, -1, 64 * 1024 * 1024 + 1}) {
      try (EventBusProbe p = EventBusProbe.plain(target.ip(), EB_PORT)) {
        long written = p.writeUntilClosed(EventBusProbe.prefix(length), 512L * 1024 * 1024);
        assertThat(written)
            .as("bytes accepted after length prefix %08x before the pod hung up", length)
            .isLessThan(64L * 1024 * 1024);
        assertThat(p.closedByPeer(Duration.ofSeconds(10))).isTrue();
      }
    }
    assertThat(PodHealth.oldGenBytes(target.ip()) - oldGenBefore)
        .as("old generation growth")
        .isLessThan(32L * 1024 * 1024);
    assertThat(
            PodHealth.counter(target.ip(), "kubechat_eventbus_refused_connections_total", "length"))
        .isGreaterThanOrEqualTo(4);
    assertClusterWorks();
  }

  @Test
  // a pod that buffers what it is sent stalls the writes: fail instead of hanging
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void garbageClosesTheConnectionAndIsLoggedAtMostOncePerInterval() throws Exception {
    PodProcess target = cluster.pod("pod-3");
    int linesBefore = PodHealth.logLines(target).size();
    Random random = new Random(42);
    int closed = 0;
    int attempts = 0;
    for (int i = 0; i < 400; i++) {
      byte[] frame;
      switch (i % 4) {
        case 0 -> {
          // pure noise
          frame = new byte[512];
          random.nextBytes(frame);
        }
        case 1 -> {
          // a plausible length, then noise
          frame = new byte[4 + 200];
          random.nextBytes(frame);
          System.arraycopy(EventBusProbe.prefix(200), 0, frame, 0, 4);
        }
        case 3 -> {
          // a well-formed message to the pod's consensus address whose Raft payload is noise
          byte[] noise = new byte[300];
          random.nextBytes(noise);
          frame =
              WireFrames.frame(
                  RaftAddresses.pod("pod-3"),
                  MultiMap.caseInsensitiveMultiMap().add(RaftAddresses.KIND, "raft"),
                  Buffer.buffer(noise),
                  CodecManager.BUFFER_MESSAGE_CODEC);
        }
        default -> {
          // a plausible header (version 2, a system codec), then noise
          frame = new byte[4 + 200];
          random.nextBytes(frame);
          System.arraycopy(EventBusProbe.prefix(200), 0, frame, 0, 4);
          frame[4] = 2;
          frame[5] = 9;
          frame[6] = 0;
          System.arraycopy(EventBusProbe.prefix(150), 0, frame, 7, 4);
        }
      }
      try (EventBusProbe p = EventBusProbe.plain(target.ip(), EB_PORT)) {
        p.write(frame);
        if (i % 10 == 0) {
          attempts++;
          if (p.closedByPeer(Duration.ofSeconds(5))) {
            closed++;
          }
        }
      }
    }
    assertThat(closed).as("sampled garbage connections the pod closed").isEqualTo(attempts);
    assertClusterWorks();
    List<String> lines = PodHealth.logLines(target);
    List<String> during = lines.subList(linesBefore, lines.size());
    assertThat(PodHealth.stackTraceLines(during))
        .as("stack-trace lines logged for 400 garbage connections:\n%s", String.join("\n", during))
        .isLessThan(60);
    assertThat(during.stream().filter(l -> l.contains("event-bus connection")).count())
        .as("log lines about refused event-bus connections:\n%s", String.join("\n", during))
        .isLessThanOrEqualTo(6);
  }

  private void assertClusterWorks() {
    cluster.awaitAgreedLeader(LONG);
    assertThat(cluster.live()).hasSize(3);
    try (WsTestClient alice =
        WsTestClient.hello(
            vertx, cluster.ip("pod-1"), TestCluster.PORT, "alice", "a-" + System.nanoTime())) {
      alice.join("lobby");
      alice.send(
          new JsonObject()
              .put("type", "send")
              .put("group", "lobby")
              .put("id", Long.toString(System.nanoTime()))
              .put("text", "still here"));
      assertThat(alice.await(f -> "ack".equals(f.getString("type")))).isNotNull();
    }
  }
}
