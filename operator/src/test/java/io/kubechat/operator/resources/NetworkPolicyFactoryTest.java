package io.kubechat.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.NetworkPolicySpec;
import io.kubechat.operator.crd.SpecValidation;
import io.kubechat.operator.support.Clusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyFactoryTest {
  static final Map<String, String> DEMO =
      Map.of("app.kubernetes.io/name", "kubechat", "app.kubernetes.io/instance", "demo");

  static NetworkPolicyIngressRule ruleFor(NetworkPolicy p, int port) {
    return p.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(x -> x.getPort().getIntVal() == port))
        .findFirst()
        .orElseThrow();
  }

  static final Map<String, String> OPS_NAMESPACE = Map.of("kubernetes.io/metadata.name", "ops");

  @Test
  void onByDefaultClusterPortsFromTheSameClusterAdminFromTheOperatorClientOpen() {
    NetworkPolicy p =
        NetworkPolicyFactory.policy(Clusters.cluster("ns", "demo", 3, s -> {}), "ops")
            .orElseThrow();
    assertThat(p.getMetadata().getName()).isEqualTo("demo-pods");
    assertThat(p.getMetadata().getOwnerReferences()).singleElement();
    assertThat(p.getSpec().getPodSelector().getMatchLabels()).isEqualTo(DEMO);
    assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
    for (int port : List.of(5701, 5702)) {
      NetworkPolicyIngressRule r = ruleFor(p, port);
      assertThat(r.getPorts()).extracting(x -> x.getPort().getIntVal()).containsExactly(5701, 5702);
      assertThat(r.getFrom())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.getPodSelector().getMatchLabels()).isEqualTo(DEMO);
                assertThat(f.getNamespaceSelector()).as("same namespace only").isNull();
              });
    }
    NetworkPolicyIngressRule client = ruleFor(p, 8080);
    assertThat(client.getPorts()).extracting(x -> x.getPort().getIntVal()).containsExactly(8080);
    assertThat(client.getFrom()).as("open to anyone").isNullOrEmpty();
    NetworkPolicyIngressRule admin = ruleFor(p, 9090);
    assertThat(admin.getPorts()).extracting(x -> x.getPort().getIntVal()).containsExactly(9090);
    assertThat(admin.getFrom())
        .as("only the operator's namespace")
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getNamespaceSelector().getMatchLabels()).isEqualTo(OPS_NAMESPACE);
              assertThat(f.getPodSelector()).isNull();
            });
    assertThat(p.getSpec().getIngress()).hasSize(3);
  }

  @Test
  void clientFromLimitsOnlyTheClientPortAndAdminFromAddsToTheOperator() {
    NetworkPolicyPeer web =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .withMatchLabels(Map.of("team", "web"))
            .endNamespaceSelector()
            .build();
    NetworkPolicyPeer prometheus =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .withMatchLabels(Map.of("kubernetes.io/metadata.name", "monitoring"))
            .endNamespaceSelector()
            .build();
    ChatCluster c =
        Clusters.cluster(
            "ns",
            "demo",
            3,
            s -> {
              NetworkPolicySpec np = new NetworkPolicySpec();
              np.setClientFrom(List.of(web));
              np.setAdminFrom(List.of(prometheus));
              s.setNetworkPolicy(np);
            });
    NetworkPolicy p = NetworkPolicyFactory.policy(c, "ops").orElseThrow();
    assertThat(ruleFor(p, 8080).getFrom())
        .as("the client port: clientFrom only")
        .containsExactly(web);
    assertThat(ruleFor(p, 9090).getFrom())
        .hasSize(2)
        .contains(prometheus)
        .anySatisfy(
            f ->
                assertThat(f.getNamespaceSelector())
                    .isNotNull()
                    .extracting(LabelSelector::getMatchLabels)
                    .isEqualTo(OPS_NAMESPACE));
    assertThat(ruleFor(NetworkPolicyFactory.policy(c, null).orElseThrow(), 9090).getFrom())
        .as("an operator outside the cluster has no namespace to allow")
        .containsExactly(prometheus);
  }

  @Test
  void withoutAnyAdminPeerTheAdminPortHasNoRule() {
    // a rule with no peers would admit everyone: the admin port is left closed instead
    NetworkPolicy p =
        NetworkPolicyFactory.policy(Clusters.cluster("ns", "demo", 3, s -> {}), null).orElseThrow();
    assertThat(p.getSpec().getIngress())
        .hasSize(2)
        .noneSatisfy(
            r ->
                assertThat(r.getPorts())
                    .anySatisfy(x -> assertThat(x.getPort().getIntVal()).isEqualTo(9090)));
  }

  @Test
  void disabledMeansNoPolicy() {
    ChatCluster c =
        Clusters.cluster(
            "ns",
            "demo",
            3,
            s -> {
              NetworkPolicySpec np = new NetworkPolicySpec();
              np.setEnabled(false);
              s.setNetworkPolicy(np);
            });
    assertThat(NetworkPolicyFactory.policy(c, "ops")).isEmpty();
  }

  @Test
  void invalidPeersAreRefusedWithTheirIndex() {
    NetworkPolicySpec np = new NetworkPolicySpec();
    np.setClientFrom(
        List.of(
            new NetworkPolicyPeer(),
            new NetworkPolicyPeerBuilder()
                .withNewIpBlock()
                .withCidr("10.0.0.0")
                .endIpBlock()
                .build(),
            new NetworkPolicyPeerBuilder()
                .withNewIpBlock()
                .withCidr("10.0.0.0/8")
                .endIpBlock()
                .withNewPodSelector()
                .endPodSelector()
                .build(),
            new NetworkPolicyPeerBuilder()
                .withNewIpBlock()
                .withCidr("10.0.0.0/8")
                .endIpBlock()
                .build()));
    assertThat(
            SpecValidation.validate(Clusters.cluster("ns", "demo", 3, s -> s.setNetworkPolicy(np))))
        .containsExactly(
            "spec.networkPolicy.clientFrom[0] must set podSelector, namespaceSelector or ipBlock",
            "spec.networkPolicy.clientFrom[1].ipBlock.cidr '10.0.0.0' must be a CIDR such as"
                + " 10.0.0.0/8",
            "spec.networkPolicy.clientFrom[2] must not combine ipBlock with podSelector or"
                + " namespaceSelector");
    NetworkPolicySpec admin = new NetworkPolicySpec();
    admin.setAdminFrom(List.of(new NetworkPolicyPeer()));
    assertThat(
            SpecValidation.validate(
                Clusters.cluster("ns", "demo", 3, s -> s.setNetworkPolicy(admin))))
        .containsExactly(
            "spec.networkPolicy.adminFrom[0] must set podSelector, namespaceSelector or ipBlock");
  }
}
