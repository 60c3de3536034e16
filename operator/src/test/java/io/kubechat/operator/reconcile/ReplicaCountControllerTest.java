package io.kubechat.operator.reconcile;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.get;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.status.ConditionSpec;
import io.kubechat.operator.status.Conditions;
import io.kubechat.operator.support.Clusters;
import io.kubechat.operator.support.EmbeddedOperator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Replica counts: a maximum, a warning for even counts, scale-up in batches. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaCountControllerTest {
  static final String NS = "counts";
  static final String HOST = "127.0.3.6";

  EmbeddedOperator embedded;
  KubernetesClient client;

  @BeforeAll
  void start() {
    embedded = EmbeddedOperator.start(HOST, a -> {}, cfg -> cfg.withLeaderElection(false));
    client = embedded.client();
  }

  @AfterAll
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }

  List<Event> events(String name, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(name))
        .filter(e -> e.getReason().equals(reason))
        .toList();
  }

  @Test
  void twoHundredReplicasAreRefusedAndNothingIsCreated() {
    client.resource(cluster(NS, "huge", 200, s -> {})).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(get(client, NS, "huge").getStatus())
                    .isNotNull()
                    .satisfies(s -> assertThat(s.getPhase()).isEqualTo("Failed")));
    assertThat(
            Conditions.find(get(client, NS, "huge").getStatus().getConditions(), "Ready")
                .orElseThrow()
                .getMessage())
        .contains("spec.replicas must be between 1 and 9 (is 200)");
    assertThat(pods(client, NS, "huge")).isEmpty();
  }

  @Test
  void anEvenCountGetsAWarningEventAndCondition() {
    client.resource(cluster(NS, "even", 2, s -> {})).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var c =
                  Conditions.find(
                      get(client, NS, "even").getStatus().getConditions(),
                      ConditionSpec.EVEN_REPLICAS);
              assertThat(c).isPresent();
              assertThat(c.get().getStatus()).isEqualTo("True");
              assertThat(c.get().getMessage())
                  .isEqualTo(
                      "spec.replicas 2 is even: a majority is 2, so it tolerates 0 failure(s), no"
                          + " more than 1 pods would; use 3 or 1");
              assertThat(events("even", "EvenReplicas"))
                  .singleElement()
                  .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
            });
    assertThat(pods(client, NS, "even")).as("even counts are allowed").hasSize(2);
    Clusters.patchSpec(client, NS, "even", Map.of("replicas", 3));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        Conditions.find(
                                get(client, NS, "even").getStatus().getConditions(),
                                ConditionSpec.EVEN_REPLICAS)
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo("False"));
  }

  @Test
  void nineReplicasAreCreatedThreeAtATimeEachBatchAfterTheLastIsReady() {
    client.resource(cluster(NS, "big", 9, s -> {})).create();
    for (int batch = 1; batch <= 3; batch++) {
      int expected = 3 * batch;
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(pods(client, NS, "big")).hasSize(expected));
      // The next batch waits for this one: no pod more while these are not ready.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> pods(client, NS, "big").size() == expected);
      if (batch < 3) {
        assertThat(
                Conditions.find(
                        get(client, NS, "big").getStatus().getConditions(),
                        ConditionSpec.RECONCILE_SUCCESS)
                    .orElseThrow()
                    .getMessage())
            .contains("scaling up to 9 in batches of 3: " + expected + " of 9 pods");
      }
      for (Pod p : pods(client, NS, "big")) {
        Clusters.setPodStatus(client, p, "Running", true);
      }
    }
    assertThat(events("big", "ScalingUp"))
        .allSatisfy(
            e -> assertThat(e.getMessage().split("big-", -1).length - 1).isLessThanOrEqualTo(3));
  }
}
