package io.kubechat.client.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatServerException;
import io.kubechat.client.Presence;
import io.kubechat.client.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of joins against a real pod with a small group limit and rate limit: the pod drops some
 * joins (RATE_LIMITED without a ref), answers the joins it takes once they are in the log and
 * refuses those over the limit at once (TOO_MANY_GROUPS, ref "join"). Every future must still
 * complete, with the right outcome.
 */
class ChatClientPodLimitsTest {
  private static final int MAX_GROUPS = 10;
  private static PodCluster cluster;
  private static ChatClient client;

  @BeforeAll
  static void startPod() throws Exception {
    String jar = System.getProperty("kubechat.podJar");
    assumeTrue(jar != null && Files.exists(Path.of(jar)), "no chat-pod jar at " + jar);
    cluster =
        new PodCluster(
            Path.of(jar),
            List.of("127.0.4.20"),
            Path.of("target", "pod-logs"),
            Map.of(
                "KUBECHAT_MAX_GROUPS_PER_CLIENT",
                String.valueOf(MAX_GROUPS),
                // bursts up to 10 frames: hello and 9 joins pass, the rest is dropped
                "KUBECHAT_RATE_LIMIT_PER_S",
                "5"));
    cluster.startAll();
    cluster.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopPod() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyJoinOfABurstPastTheLimitsCompletesWithItsOwnAnswer() throws Exception {
    Recorder recorder = new Recorder();
    client =
        ChatClient.builder()
            .endpoints(List.of(cluster.wsUri(0)))
            .user("burst")
            .pingInterval(Duration.ofSeconds(2))
            .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .answerTimeout(Duration.ofSeconds(3))
            .listener(recorder)
            .build();
    List<CompletableFuture<Presence>> joins = new ArrayList<>();
    for (int i = 1; i <= MAX_GROUPS + 2; i++) {
      joins.add(client.join("g" + i)); // all written at once when the welcome comes
    }
    client.start();

    List<String> joined = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < joins.size(); i++) {
      try {
        joined.add(joins.get(i).get(30, TimeUnit.SECONDS).group());
      } catch (ExecutionException e) {
        assertThat(e.getCause())
            .isInstanceOfSatisfying(
                ChatServerException.class, c -> assertThat(c.code()).isEqualTo("TOO_MANY_GROUPS"));
        refused.add("g" + (i + 1));
      }
    }
    assertThat(joined).hasSize(MAX_GROUPS);
    assertThat(refused).hasSize(2);
    assertThat(recorder.errors).anySatisfy(e -> assertThat(e.code()).isEqualTo("RATE_LIMITED"));
    for (String group : joined) {
      assertThat(client.send(group, "in " + group).get(30, TimeUnit.SECONDS).seq()).isEqualTo(1);
    }
  }
}
