package io.kubechat.operator.reconcile;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.Rbac;
import io.kubechat.operator.crd.StorageSpec;
import io.kubechat.operator.support.ApiRequests;
import io.kubechat.operator.support.Clusters;
import io.kubechat.operator.support.EmbeddedOperator;
import io.kubechat.operator.support.MockApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * spec.storage: a claim per pod name that outlives the pod; spec.networkPolicy: the policy is
 * created and deleted again when disabled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageControllerTest {
  static final String NS = "stored";
  static final String HOST = "127.0.3.8";

  EmbeddedOperator embedded;
  MockApi api;
  KubernetesClient client;

  @BeforeAll
  void start() {
    embedded = EmbeddedOperator.start(HOST);
    api = embedded.api();
    client = embedded.client();
  }

  @AfterAll
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }

  @Test
  void everyPodGetsItsClaimAndARecreatedPodFindsTheSameOne() throws InterruptedException {
    StorageSpec st = new StorageSpec();
    st.setSize("1Gi");
    client.resource(cluster(NS, "delta", 3, s -> s.setStorage(st))).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "delta")).hasSize(3));
    assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("data-delta-0", "data-delta-1", "data-delta-2");
    PersistentVolumeClaim before =
        client.persistentVolumeClaims().inNamespace(NS).withName("data-delta-1").get();

    client.pods().inNamespace(NS).withName("delta-1").withGracePeriod(0).delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(client.pods().inNamespace(NS).withName("delta-1").get())
                    .isNotNull()
                    .satisfies(
                        p ->
                            assertThat(p.getMetadata().getUid())
                                .isNotEqualTo(before.getMetadata().getUid())));
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(NS)
                .withName("data-delta-1")
                .get()
                .getMetadata()
                .getUid())
        .as("the claim, and the history on it, is kept")
        .isEqualTo(before.getMetadata().getUid());
    Set<String> used =
        api.drainRequests().stream()
            .filter(r -> MockApi.OPERATOR_AGENT.equals(r.getHeader("User-Agent")))
            .map(ApiRequests::permission)
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
    assertThat(used).contains(" persistentvolumeclaims create");
    assertThat(Rbac.RULES).contains(new Rbac.Rule("", "persistentvolumeclaims", List.of("create")));
  }

  @Test
  void theNetworkPolicyIsOnByDefaultRestoredWhenChangedAndDeletedWhenDisabled()
      throws InterruptedException {
    client.resource(cluster(NS, "echo", 3, s -> {})).create();
    var policies = client.network().v1().networkPolicies().inNamespace(NS);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(policies.withName("echo-pods").get()).isNotNull());
    NetworkPolicy desired = policies.withName("echo-pods").get();

    policies
        .withName("echo-pods")
        .edit(
            p -> {
              p.getSpec().getIngress().remove(0);
              return p;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(policies.withName("echo-pods").get().getSpec())
                    .as("a policy that drifted is put back")
                    .isEqualTo(desired.getSpec()));

    Clusters.patchSpec(client, NS, "echo", Map.of("networkPolicy", Map.of("enabled", false)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(policies.withName("echo-pods").get()).isNull());
    Set<String> used =
        api.drainRequests().stream()
            .filter(r -> MockApi.OPERATOR_AGENT.equals(r.getHeader("User-Agent")))
            .map(ApiRequests::permission)
            .flatMap(Optional::stream)
            .filter(p -> p.startsWith("networking.k8s.io "))
            .collect(Collectors.toSet());
    assertThat(used)
        .as("the informer's list and watch are checked by ChatClusterControllerTest")
        .contains(
            "networking.k8s.io networkpolicies create",
            "networking.k8s.io networkpolicies get",
            "networking.k8s.io networkpolicies patch",
            "networking.k8s.io networkpolicies delete");
  }
}
