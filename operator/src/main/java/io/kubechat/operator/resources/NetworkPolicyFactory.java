package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ingress NetworkPolicy of a ChatCluster's pods. Hazelcast has no authentication in its open
 * source edition, so this policy is what keeps strangers out of the cluster ports; the admin port
 * (status, metrics, the quorum-recovery action) admits only the operator's namespace and
 * spec.networkPolicy.adminFrom; the client port admits clientFrom, or anyone.
 */
public final class NetworkPolicyFactory {
  private NetworkPolicyFactory() {}

  public static boolean enabled(ChatCluster c) {
    NetworkPolicySpec s = c.getSpec().getNetworkPolicy();
    return s == null || !Boolean.FALSE.equals(s.getEnabled());
  }

  /**
   * The policy, or empty when spec.networkPolicy.enabled is false. {@code operatorNamespace} is
   * null when the operator runs outside the cluster (then no namespace needs an exception).
   */
  public static Optional<NetworkPolicy> policy(ChatCluster c, String operatorNamespace) {
    if (!enabled(c)) {
      return Optional.empty();
    }
    NetworkPolicyPeer sameCluster =
        new NetworkPolicyPeerBuilder()
            .withNewPodSelector()
            .withMatchLabels(Names.selector(c))
            .endPodSelector()
            .build();
    Optional<NetworkPolicySpec> spec = Optional.ofNullable(c.getSpec().getNetworkPolicy());
    // an empty from admits everyone: the client port when clientFrom is empty
    List<NetworkPolicyPeer> clientFrom =
        spec.map(NetworkPolicySpec::getClientFrom).orElse(List.of());
    List<NetworkPolicyPeer> admin = new ArrayList<>();
    if (operatorNamespace != null) {
      // the operator polls every pod's /status on the admin port
      admin.add(
          new NetworkPolicyPeerBuilder()
              .withNewNamespaceSelector()
              .withMatchLabels(Map.of("kubernetes.io/metadata.name", operatorNamespace))
              .endNamespaceSelector()
              .build());
    }
    admin.addAll(spec.map(NetworkPolicySpec::getAdminFrom).orElse(List.of()));
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(rule(List.of(sameCluster), Names.HAZELCAST_PORT, Names.EVENTBUS_PORT));
    ingress.add(rule(clientFrom, Names.HTTP_PORT));
    if (!admin.isEmpty()) {
      // no peer at all: no rule, the admin port stays closed (the kubelet's probes come from the
      // node, which a NetworkPolicy never blocks)
      ingress.add(rule(admin, Names.ADMIN_PORT));
    }
    return Optional.of(
        new NetworkPolicyBuilder()
            .withMetadata(Owners.meta(c, Names.networkPolicy(c), Names.labels(c, "network-policy")))
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(Names.selector(c))
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .withIngress(ingress)
            .endSpec()
            .build());
  }

  private static NetworkPolicyIngressRule rule(List<NetworkPolicyPeer> from, int... ports) {
    return new NetworkPolicyIngressRuleBuilder()
        .withFrom(from)
        .withPorts(Arrays.stream(ports).mapToObj(NetworkPolicyFactory::port).toList())
        .build();
  }

  private static NetworkPolicyPort port(int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .build();
  }
}
