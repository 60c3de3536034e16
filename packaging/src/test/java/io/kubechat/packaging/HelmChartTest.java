package io.kubechat.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart lints clean, renders with default and other values, and its schema refuses bad values.
 */
class HelmChartTest {
  private static final String RELEASE = "kubechat-operator";
  private static final String NAMESPACE = "kubechat-system";

  /** Helm template defaults to an old Kubernetes version that the chart's kubeVersion excludes. */
  private static final String KUBE_VERSION = "1.31.0";

  static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    TemplateCommand template =
        new Helm(Repo.CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    return Repo.parse(values.apply(template).call());
  }

  static List<HasMetadata> renderDefaults() {
    return render(t -> t);
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(Repo.CHART).lint().strict().call();

    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void rendersTheOperatorWithDefaults() {
    List<HasMetadata> objects = renderDefaults();

    Deployment deployment = Repo.only(objects, Deployment.class, RELEASE);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("kubechat/operator:" + Repo.VERSION);
    assertThat(env(container.getEnv()))
        .containsEntry("KUBECHAT_OPERATOR_POD_IMAGE", "kubechat/chat-pod:" + Repo.VERSION)
        .containsEntry("KUBECHAT_OPERATOR_NAMESPACES", "")
        .containsEntry("KUBECHAT_OPERATOR_LEADER_ELECTION", "true");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo(RELEASE);

    Repo.only(objects, ServiceAccount.class, RELEASE);
    Repo.only(objects, ClusterRole.class, RELEASE);
    ClusterRoleBinding binding = Repo.only(objects, ClusterRoleBinding.class, RELEASE);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
    Repo.only(objects, Role.class, RELEASE + "-leader-election");

    CustomResourceDefinition crd =
        Repo.only(objects, CustomResourceDefinition.class, "chatclusters.kubechat.io");
    assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
  }

  @Test
  void theOperatorGetsANetworkPolicyForItsHttpPortOnly() {
    NetworkPolicy np = Repo.only(renderDefaults(), NetworkPolicy.class, RELEASE);
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(np.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", RELEASE);
    assertThat(np.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
              assertThat(rule.getFrom())
                  .singleElement()
                  .satisfies(peer -> assertThat(peer.getPodSelector()).isNotNull());
            });

    List<HasMetadata> withPrometheus =
        render(
            t ->
                t.set(
                    "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name",
                    "monitoring"));
    assertThat(Repo.only(withPrometheus, NetworkPolicy.class, RELEASE).getSpec().getIngress())
        .singleElement()
        .satisfies(rule -> assertThat(rule.getFrom()).hasSize(2));
    assertThat(render(t -> t.set("networkPolicy.enabled", "false")))
        .noneMatch(NetworkPolicy.class::isInstance);
  }

  @Test
  void rendersWithNonDefaultValues() {
    Path values = Path.of("src/test/resources/values-non-default.yaml").toAbsolutePath();

    List<HasMetadata> objects = render(t -> t.withValuesFile(values));

    assertThat(objects).noneMatch(CustomResourceDefinition.class::isInstance);
    // Only the binding for nodes (cluster-scoped) stays cluster-wide.
    assertThat(objects)
        .filteredOn(ClusterRoleBinding.class::isInstance)
        .extracting(o -> o.getMetadata().getName())
        .containsExactly(RELEASE + "-nodes");
    assertThat(objects).noneMatch(Role.class::isInstance);
    assertThat(objects).noneMatch(ServiceAccount.class::isInstance);
    assertThat(
            objects.stream()
                .filter(RoleBinding.class::isInstance)
                .map(o -> o.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");

    Deployment deployment = Repo.only(objects, Deployment.class, RELEASE);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/kubechat/operator:9.9.9");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(env(container.getEnv()))
        .containsEntry("KUBECHAT_OPERATOR_NAMESPACES", "team-a,team-b")
        .containsEntry("KUBECHAT_OPERATOR_LEADER_ELECTION", "false")
        .containsEntry("KUBECHAT_OPERATOR_POD_IMAGE", "registry.example/kubechat/chat-pod:9.9.9")
        .containsEntry("KUBECHAT_OPERATOR_LOG_FORMAT", "text");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(pod.getServiceAccountName()).isEqualTo("existing-operator-sa");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicaCount|0|replicaCount",
        "replicaCount|three|replicaCount",
        "image.pullPolicy|Sometimes|pullPolicy",
        "watchNamespaces[0]|Not_A_Namespace|watchNamespaces",
        "logFormat|xml|logFormat",
        "replicas|3|replicas",
        "leaderElection.enabled|maybe|enabled",
      })
  void schemaRefusesBadValues(String key, String value, String named) {
    assertThatThrownBy(() -> render(t -> t.set(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  @Test
  void moreThanOneReplicaNeedsLeaderElection() {
    assertThat(
            Repo.only(render(t -> t.set("replicaCount", "3")), Deployment.class, RELEASE)
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
    assertThatThrownBy(
            () -> render(t -> t.set("replicaCount", "2").set("leaderElection.enabled", "false")))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("enabled");
  }

  @Test
  void theDeploymentSelectorIsDeploysOneWhateverTheReleaseName() {
    Deployment deploy =
        Repo.only(
            Repo.parse(Repo.DEPLOY.resolve("operator/deployment.yaml")), Deployment.class, null);
    Deployment chart =
        Repo.only(
            Repo.parse(
                new Helm(Repo.CHART)
                    .template()
                    .withName("another-release")
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION)
                    .call()),
            Deployment.class,
            null);
    // immutable: switching between kubectl apply -k deploy/ and the chart must keep it
    assertThat(chart.getSpec().getSelector()).isEqualTo(deploy.getSpec().getSelector());
    assertThat(chart.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deploy.getSpec().getSelector().getMatchLabels());
  }

  private static Map<String, String> env(List<EnvVar> env) {
    return env.stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
