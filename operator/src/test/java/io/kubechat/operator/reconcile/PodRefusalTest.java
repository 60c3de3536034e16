package io.kubechat.operator.reconcile;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.get;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterStatus;
import io.kubechat.operator.status.ConditionSpec;
import io.kubechat.operator.support.EmbeddedOperator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Pods the API server refuses (admission, validation) show in the ChatCluster's status. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodRefusalTest {
  static final String NS = "restricted";
  static final String HOST = "127.0.3.7";
  static final String PSA =
      "pods \"gamma-0\" is forbidden: violates PodSecurity \"restricted:latest\":"
          + " runAsNonRoot != true";

  EmbeddedOperator embedded;
  KubernetesClient client;

  @BeforeAll
  void start() {
    embedded = EmbeddedOperator.start(HOST, a -> a.refusePodCreation(NS, 403, PSA), cfg -> cfg);
    client = embedded.client();
  }

  @AfterAll
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }

  @Test
  void refusedPodsShowInPhaseConditionsAndAnEvent() {
    client.resource(cluster(NS, "gamma", 3, s -> {})).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              ChatCluster c = get(client, NS, "gamma");
              ChatClusterStatus s = c.getStatus();
              assertThat(s).isNotNull();
              assertThat(s.getPhase()).isEqualTo("Failed");
              assertThat(s.getConditions())
                  .filteredOn(x -> x.getType().equals(ConditionSpec.READY))
                  .singleElement()
                  .satisfies(
                      x -> {
                        assertThat(x.getStatus()).isEqualTo("False");
                        assertThat(x.getReason()).isEqualTo("PodsRefused");
                        assertThat(x.getMessage()).contains("HTTP 403").contains(PSA);
                      });
              assertThat(s.getConditions())
                  .filteredOn(x -> x.getType().equals(ConditionSpec.RECONCILE_SUCCESS))
                  .singleElement()
                  .satisfies(x -> assertThat(x.getReason()).isEqualTo("PodsRefused"));
            });
    assertThat(pods(client, NS, "gamma")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(NS).list().getItems())
                    .extracting(Event::getReason)
                    .contains("PodsRefused"));
  }
}
