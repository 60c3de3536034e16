package io.kubechat.operator.reconcile;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.env;
import static io.kubechat.operator.support.Clusters.get;
import static io.kubechat.operator.support.Clusters.patchSpec;
import static io.kubechat.operator.support.Clusters.pods;
import static io.kubechat.operator.support.Clusters.setPodStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.KubechatOperator;
import io.kubechat.operator.Rbac;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.support.ApiRequests;
import io.kubechat.operator.support.EmbeddedOperator;
import io.kubechat.operator.support.MockApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The operator against fabric8's mock API server (CRUD mode); no pod processes here. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatClusterControllerTest {
  static final String NS = "it";
  static final String HOST = "127.0.3.2";

  EmbeddedOperator embedded;
  MockApi api;
  KubernetesClient client;
  KubechatOperator operator;

  @BeforeAll
  void start() {
    embedded = EmbeddedOperator.start(HOST);
    api = embedded.api();
    client = embedded.client();
    operator = embedded.operator();
  }

  @AfterAll
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }

  ChatCluster create(ChatCluster c) {
    return client.resource(c).create();
  }

  @Test
  void aChatClusterYieldsServicesPdbAndPodsAndStatus() {
    create(cluster(NS, "alpha", 3, s -> s.setMaxMessageBytes(4096)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "alpha")).hasSize(3));

    List<Pod> pods = pods(client, NS, "alpha");
    assertThat(pods)
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("alpha-0", "alpha-1", "alpha-2");
    Pod p0 = pods.get(0);
    assertThat(p0.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("ChatCluster");
              assertThat(o.getController()).isTrue();
            });
    assertThat(p0.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "kubechat")
        .containsEntry("app.kubernetes.io/instance", "alpha")
        .containsEntry("app.kubernetes.io/managed-by", "kubechat-operator");
    assertThat(p0.getMetadata().getAnnotations()).containsKey(Names.SPEC_HASH_ANNOTATION);
    assertThat(env(p0, "KUBECHAT_NODE_NAME")).isEqualTo("fieldRef:metadata.name");
    assertThat(env(p0, "KUBECHAT_POD_IP")).isEqualTo("fieldRef:status.podIP");
    assertThat(env(p0, "KUBECHAT_CLUSTER_NAME")).isEqualTo("alpha");
    assertThat(env(p0, "KUBECHAT_DISCOVERY")).isEqualTo("kubernetes");
    assertThat(env(p0, "KUBECHAT_CLUSTER_SERVICE")).isEqualTo("alpha-hl.it.svc.cluster.local");
    assertThat(env(p0, "KUBECHAT_MAX_TEXT_BYTES")).isEqualTo("4096");
    assertThat(env(p0, "KUBECHAT_HEARTBEAT_INTERVAL_MS"))
        .as("unset timings are left to the pod")
        .isNull();
    assertThat(env(p0, "KUBECHAT_BOOTSTRAP")).isEqualTo("true");
    assertThat(env(pods.get(1), "KUBECHAT_BOOTSTRAP")).isNull();
    assertThat(env(pods.get(2), "KUBECHAT_BOOTSTRAP")).isNull();
    assertThat(p0.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/readyz");
    assertThat(p0.getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPath())
        .isEqualTo("/healthz");
    assertThat(
            p0.getSpec()
                .getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Service hl = client.services().inNamespace(NS).withName("alpha-hl").get();
              assertThat(hl).isNotNull();
              assertThat(hl.getSpec().getClusterIP()).isEqualTo("None");
              assertThat(hl.getSpec().getPublishNotReadyAddresses()).isTrue();
              Service svc = client.services().inNamespace(NS).withName("alpha").get();
              assertThat(svc).isNotNull();
              assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
              var pdb =
                  client
                      .policy()
                      .v1()
                      .podDisruptionBudget()
                      .inNamespace(NS)
                      .withName("alpha")
                      .get();
              assertThat(pdb).isNotNull();
              assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
            });

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var st = get(client, NS, "alpha").getStatus();
              assertThat(st).isNotNull();
              assertThat(st.getReplicas()).isEqualTo(3);
              assertThat(st.getReadyReplicas()).isZero();
              assertThat(st.getPhase()).isEqualTo("Pending");
              assertThat(st.getSelector())
                  .isEqualTo("app.kubernetes.io/instance=alpha,app.kubernetes.io/name=kubechat");
              assertThat(st.getMembers())
                  .extracting(m -> m.getPod())
                  .containsExactly("alpha-0", "alpha-1", "alpha-2");
              assertThat(st.getConditions())
                  .extracting(c -> c.getType())
                  .contains("Ready", "LeaderElected", "Degraded", "ReconcileSuccess");
            });

    // Pods become ready (as a kubelet would say): the count follows; no pod answers /status here.
    pods(client, NS, "alpha").forEach(p -> setPodStatus(client, p, "Running", true));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var st = get(client, NS, "alpha").getStatus();
              assertThat(st.getReadyReplicas()).isEqualTo(3);
              assertThat(st.getPhase()).isEqualTo("Forming");
              assertThat(st.getConditions())
                  .filteredOn(c -> c.getType().equals("LeaderElected"))
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("NoReachablePods");
                      });
            });
  }

  @Test
  void scalesUpAndDownOneAtATime() {
    create(cluster(NS, "beta", 3, s -> {}));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "beta")).hasSize(3));
    // A scale-up waits for pods that are still joining (ReplicaCountControllerTest).
    pods(client, NS, "beta").forEach(p -> setPodStatus(client, p, "Running", true));

    patchSpec(client, NS, "beta", Map.of("replicas", 5));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(pods(client, NS, "beta"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("beta-0", "beta-1", "beta-2", "beta-3", "beta-4"));
    assertThat(pods(client, NS, "beta"))
        .allSatisfy(
            p ->
                assertThat(env(p, "KUBECHAT_BOOTSTRAP"))
                    .as("pods added by scaling join, they do not bootstrap")
                    .isIn(null, "true")
                    .satisfies(
                        v -> {
                          if (!p.getMetadata().getName().equals("beta-0")) {
                            assertThat(v).isNull();
                          }
                        }));

    patchSpec(client, NS, "beta", Map.of("replicas", 2));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(pods(client, NS, "beta"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("beta-0", "beta-1"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(events("beta"))
                    .filteredOn(e -> e.getReason().equals("ScalingDown"))
                    .hasSize(3));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(get(client, NS, "beta").getStatus().getReplicas()).isEqualTo(2));
  }

  @Test
  void aDeletedPodComesBack() {
    create(cluster(NS, "gamma", 3, s -> {}));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "gamma")).hasSize(3));
    String uid = client.pods().inNamespace(NS).withName("gamma-1").get().getMetadata().getUid();
    client.pods().inNamespace(NS).withName("gamma-1").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod p = client.pods().inNamespace(NS).withName("gamma-1").get();
              assertThat(p).isNotNull();
              assertThat(p.getMetadata().getUid()).isNotEqualTo(uid);
            });
  }

  @Test
  void aFailedPodIsReplacedWithAWarningEvent() {
    create(cluster(NS, "delta", 3, s -> {}));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "delta")).hasSize(3));
    pods(client, NS, "delta").forEach(p -> setPodStatus(client, p, "Running", true));
    Pod victim = client.pods().inNamespace(NS).withName("delta-2").get();
    setPodStatus(client, victim, "Failed", false);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod p = client.pods().inNamespace(NS).withName("delta-2").get();
              assertThat(p).isNotNull();
              assertThat(p.getMetadata().getUid()).isNotEqualTo(victim.getMetadata().getUid());
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(events("delta"))
                    .filteredOn(e -> e.getReason().equals("ReplacingPodFailed"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).contains("delta-2");
                        }));
    assertThat(pods(client, NS, "delta")).hasSize(3);
    assertThat(operator.metrics().scrape())
        .contains("kubechat_operator_pod_replacements_total{reason=\"PodFailed\"}");
  }

  @Test
  void anInvalidSpecIsReportedAndNothingIsDeleted() {
    create(cluster(NS, "eps", 3, s -> {}));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "eps")).hasSize(3));
    Set<String> uids = uids("eps");
    patchSpec(
        client,
        NS,
        "eps",
        Map.of("replicas", 1, "heartbeat", Map.of("intervalMillis", 1000, "timeoutMillis", 500)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var st = get(client, NS, "eps").getStatus();
              assertThat(st.getPhase()).isEqualTo("Failed");
              assertThat(st.getConditions())
                  .filteredOn(c -> c.getType().equals("Ready"))
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("InvalidSpec");
                        assertThat(c.getMessage())
                            .contains(
                                "spec.heartbeat.timeoutMillis (500)", "intervalMillis (1000)");
                      });
            });
    assertThat(uids("eps")).as("an invalid spec deletes and recreates nothing").isEqualTo(uids);
    assertThat(events("eps")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InvalidSpec"));
  }

  @Test
  void aSpecChangeRollsPodsOneAtATime() {
    create(cluster(NS, "zeta", 3, s -> {}));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(pods(client, NS, "zeta")).hasSize(3));
    pods(client, NS, "zeta").forEach(p -> setPodStatus(client, p, "Running", true));
    String oldHash = hash(pods(client, NS, "zeta").get(0));
    patchSpec(client, NS, "zeta", Map.of("historyLimit", 50));
    // Standing in for the kubelet: new pods become ready; at most one pod is ever missing or new.
    int[] worst = {0};
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () -> {
              List<Pod> now = pods(client, NS, "zeta");
              int disrupted =
                  (int)
                      (3
                          - now.stream().filter(p -> oldHash.equals(hash(p))).count()
                          - now.stream().filter(p -> !oldHash.equals(hash(p)) && ready(p)).count());
              worst[0] = Math.max(worst[0], disrupted);
              now.stream()
                  .filter(p -> !ready(p))
                  .forEach(p -> setPodStatus(client, p, "Running", true));
              return now.size() == 3 && now.stream().noneMatch(p -> oldHash.equals(hash(p)));
            });
    assertThat(worst[0])
        .as("pods disrupted at once during the rolling update")
        .isLessThanOrEqualTo(1);
    assertThat(pods(client, NS, "zeta"))
        .allSatisfy(p -> assertThat(env(p, "KUBECHAT_HISTORY_LIMIT")).isEqualTo("50"));
    assertThat(events("zeta")).filteredOn(e -> e.getReason().equals("RollingUpdate")).hasSize(3);
  }

  @Test
  void operatorServesHealthReadinessAndMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://" + HOST + ":" + operator.httpPort();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200));
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains(
            "kubechat_operator_reconciles_total",
            "kubechat_operator_reconcile_errors_total",
            "kubechat_operator_leader_changes_total");
  }

  /** Permissions these tests do not exercise, each for a reason. */
  static final List<String> NOT_EXERCISED_HERE =
      List.of(
          "coordination.k8s.io leases update", // only checked by JOSDK, never called
          " pods get", // read before the role-label patch, which needs pods reporting roles
          " pods patch", // the role label, which needs pods reporting roles
          " persistentvolumeclaims create", // spec.storage: StorageControllerTest
          // a policy that drifted or is disabled: StorageControllerTest
          "networking.k8s.io networkpolicies delete",
          "networking.k8s.io networkpolicies get",
          "networking.k8s.io networkpolicies patch",
          " services get", // read before a patch of a Service that drifted
          " services patch", // a Service that drifted from the spec
          // a member certificate reissued (a new CA, or expiring): ClusterTlsControllerTest
          " secrets get",
          " secrets patch");

  /** Runs last: everything the operator asked the API server for is in Rbac.RULES, and back. */
  @Test
  @Order(Integer.MAX_VALUE)
  void theOperatorUsesExactlyTheDeclaredPermissions() throws InterruptedException {
    Set<String> used =
        api.drainRequests().stream()
            .filter(r -> MockApi.OPERATOR_AGENT.equals(r.getHeader("User-Agent")))
            .map(ApiRequests::permission)
            .flatMap(Optional::stream)
            .filter(p -> !p.startsWith("authorization.k8s.io selfsubjectrulesreviews "))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> declared =
        Rbac.RULES.stream()
            .flatMap(r -> r.verbs().stream().map(v -> r.apiGroup() + " " + r.resource() + " " + v))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(declared).as("permissions declared in Rbac.RULES").containsAll(used);
    Set<String> unexercised = new TreeSet<>(declared);
    unexercised.removeAll(used);
    assertThat(unexercised).as("declared but not used here").isSubsetOf(NOT_EXERCISED_HERE);
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static String hash(Pod p) {
    return p.getMetadata().getAnnotations().get(Names.SPEC_HASH_ANNOTATION);
  }

  private Set<String> uids(String name) {
    return pods(client, NS, name).stream()
        .map(p -> p.getMetadata().getUid())
        .collect(Collectors.toSet());
  }

  private List<Event> events(String cluster) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> cluster.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
