package io.kubechat.operator;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.get;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubechat.operator.support.MockApi;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator process's own settings: watched namespaces, leader election, configuration. */
class OperatorProcessTest {

  @Test
  void watchesOnlyTheConfiguredNamespacesAndHoldsALease() {
    try (MockApi api = new MockApi("127.0.3.5")) {
      var client = api.client();
      OperatorConfig cfg =
          OperatorConfig.from(
                  Map.of(
                      "KUBECHAT_OPERATOR_NAMESPACES", "watched, also",
                      "KUBECHAT_OPERATOR_LEASE_NAMESPACE", "ops",
                      "KUBECHAT_OPERATOR_HTTP_HOST", "127.0.3.5",
                      "KUBECHAT_OPERATOR_HTTP_PORT", "0"))
              .embedded();
      assertThat(cfg.namespaces()).isEqualTo(Set.of("watched", "also"));
      assertThat(cfg.leaderElection()).isTrue();
      try (KubechatOperator op = KubechatOperator.start(client, cfg)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  Lease lease =
                      client.leases().inNamespace("ops").withName("kubechat-operator").get();
                  assertThat(lease).isNotNull();
                  assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
                });
        client.resource(cluster("watched", "in", 1, s -> {})).create();
        client.resource(cluster("other", "out", 1, s -> {})).create();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(pods(client, "watched", "in")).hasSize(1);
                  assertThat(get(client, "watched", "in").getStatus()).isNotNull();
                });
        assertThat(pods(client, "other", "out")).isEmpty();
        assertThat(get(client, "other", "out").getStatus()).isNull();
      }
    }
  }

  @Test
  void badConfigurationNamesTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("KUBECHAT_OPERATOR_HTTP_PORT", "eighty")))
        .hasMessageContaining("KUBECHAT_OPERATOR_HTTP_PORT=eighty");
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("KUBECHAT_OPERATOR_LEADER_ELECTION", "maybe")))
        .hasMessageContaining("KUBECHAT_OPERATOR_LEADER_ELECTION");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("KUBECHAT_OPERATOR_POLL_INTERVAL_MS", "5")))
        .hasMessageContaining("out of range");
    assertThat(OperatorConfig.from(Map.of()).podImage()).startsWith("kubechat/chat-pod:");
  }
}
