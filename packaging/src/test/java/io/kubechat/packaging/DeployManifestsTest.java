package io.kubechat.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/ parses, agrees with the chart, and applies to an API server with the example
 * ChatClusters.
 */
@EnableKubernetesMockClient(crud = true)
class DeployManifestsTest {
  KubernetesClient client;

  @Test
  void everyManifestParsesAsKubernetesObjects() {
    for (Path file : Repo.yamlFiles(Repo.DEPLOY)) {
      if (file.endsWith("kustomization.yaml")) {
        continue;
      }
      List<HasMetadata> objects = Repo.parse(file);
      assertThat(objects)
          .as(file.toString())
          .isNotEmpty()
          .allSatisfy(
              o -> {
                assertThat(o.getApiVersion()).as("%s apiVersion", file).isNotBlank();
                assertThat(o.getKind()).as("%s kind", file).isNotBlank();
                assertThat(o.getMetadata().getName()).as("%s name", file).isNotBlank();
              });
    }
  }

  @Test
  void kustomizationListsEveryInstallManifest() {
    Map<String, Object> kustomization = Repo.yamlMap(Repo.DEPLOY.resolve("kustomization.yaml"));
    @SuppressWarnings("unchecked")
    List<String> resources = (List<String>) kustomization.get("resources");

    List<String> installManifests =
        Repo.yamlFiles(Repo.DEPLOY).stream()
            .map(f -> Repo.DEPLOY.relativize(f).toString())
            .filter(f -> f.startsWith("crds/") || f.startsWith("operator/"))
            .toList();
    assertThat(resources).containsExactlyInAnyOrderElementsOf(installManifests);
  }

  @Test
  void chartAndDeployShareTheCrdAndTheRbacRules() {
    CustomResourceDefinition deployed =
        Repo.only(Repo.parse(Repo.CRD), CustomResourceDefinition.class, null);
    CustomResourceDefinition charted =
        Repo.only(HelmChartTest.renderDefaults(), CustomResourceDefinition.class, null);
    assertThat(charted.getSpec()).isEqualTo(deployed.getSpec());

    assertThat(roles(HelmChartTest.renderDefaults()))
        .isEqualTo(roles(Repo.parse(Repo.DEPLOY.resolve("operator/rbac.yaml"))));
  }

  /** Every ClusterRole and Role by kind and name, with its rules. */
  private static Map<String, Map<String, List<String>>> roles(List<HasMetadata> objects) {
    Map<String, Map<String, List<String>>> roles = new TreeMap<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRole r) {
        roles.put("ClusterRole/" + r.getMetadata().getName(), rules(r.getRules()));
      } else if (o instanceof Role r) {
        roles.put("Role/" + r.getMetadata().getName(), rules(r.getRules()));
      }
    }
    return roles;
  }

  @Test
  void chartAndDeployRunTheOperatorAlike() {
    Deployment deployed =
        Repo.only(
            Repo.parse(Repo.DEPLOY.resolve("operator/deployment.yaml")), Deployment.class, null);
    Deployment charted = Repo.only(HelmChartTest.renderDefaults(), Deployment.class, null);

    var deployedContainer = deployed.getSpec().getTemplate().getSpec().getContainers().get(0);
    var chartedContainer = charted.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(chartedContainer.getImage()).isEqualTo(deployedContainer.getImage());
    assertThat(chartedContainer.getEnv())
        .containsExactlyInAnyOrderElementsOf(deployedContainer.getEnv());
    assertThat(chartedContainer.getPorts()).isEqualTo(deployedContainer.getPorts());
    assertThat(chartedContainer.getLivenessProbe()).isEqualTo(deployedContainer.getLivenessProbe());
    assertThat(chartedContainer.getReadinessProbe())
        .isEqualTo(deployedContainer.getReadinessProbe());
    assertThat(chartedContainer.getSecurityContext())
        .isEqualTo(deployedContainer.getSecurityContext());
    assertThat(charted.getSpec().getTemplate().getSpec().getSecurityContext())
        .isEqualTo(deployed.getSpec().getTemplate().getSpec().getSecurityContext());
  }

  @Test
  void chartAndDeployGiveTheOperatorTheSameNetworkPolicy() {
    NetworkPolicy deployed =
        Repo.only(
            Repo.parse(Repo.DEPLOY.resolve("operator/networkpolicy.yaml")),
            NetworkPolicy.class,
            null);
    NetworkPolicy charted = Repo.only(HelmChartTest.renderDefaults(), NetworkPolicy.class, null);
    assertThat(charted.getSpec().getIngress()).isEqualTo(deployed.getSpec().getIngress());
    assertThat(charted.getSpec().getPolicyTypes()).isEqualTo(deployed.getSpec().getPolicyTypes());
    assertThat(charted.getSpec().getPodSelector().getMatchLabels())
        .containsAllEntriesOf(deployed.getSpec().getPodSelector().getMatchLabels());
  }

  @Test
  void imagesCarryTheProjectVersion() {
    Deployment deployed =
        Repo.only(
            Repo.parse(Repo.DEPLOY.resolve("operator/deployment.yaml")), Deployment.class, null);
    var container = deployed.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(container.getImage()).isEqualTo("kubechat/operator:" + Repo.VERSION);
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("KUBECHAT_OPERATOR_POD_IMAGE"))
        .extracting(EnvVar::getValue)
        .containsExactly("kubechat/chat-pod:" + Repo.VERSION);
    Map<String, Object> chart = Repo.yamlMap(Repo.CHART.resolve("Chart.yaml"));
    assertThat(chart)
        .containsEntry("version", Repo.VERSION)
        .containsEntry("appVersion", Repo.VERSION);
  }

  @Test
  void installManifestsAndExamplesApplyToTheApiServer() {
    CustomResourceDefinition crd =
        Repo.only(Repo.parse(Repo.CRD), CustomResourceDefinition.class, null);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();

    for (String file :
        List.of(
            "operator/namespace.yaml",
            "operator/service-account.yaml",
            "operator/rbac.yaml",
            "operator/deployment.yaml")) {
      for (HasMetadata object : Repo.parse(Repo.DEPLOY.resolve(file))) {
        client.resource(object).create();
      }
    }
    List<Path> examples = Repo.yamlFiles(Repo.DEPLOY.resolve("examples"));
    assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
    for (Path example : examples) {
      for (HasMetadata object : Repo.parse(example)) {
        object.getMetadata().setNamespace("default");
        client.resource(object).create();
      }
    }

    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace("kubechat-system")
                .withName("kubechat-operator")
                .get())
        .isNotNull();
    List<GenericKubernetesResource> clusters =
        client
            .genericKubernetesResources("kubechat.io/v1alpha1", "ChatCluster")
            .inNamespace("default")
            .list()
            .getItems();
    assertThat(clusters).hasSize(examples.size());
  }

  /** Rules as comparable sets, so that the order of verbs or rules does not matter. */
  private static Map<String, List<String>> rules(List<PolicyRule> rules) {
    return rules.stream()
        .collect(
            Collectors.toMap(
                r -> String.join(",", r.getApiGroups()) + "/" + String.join(",", r.getResources()),
                r -> r.getVerbs().stream().sorted().toList()));
  }
}
