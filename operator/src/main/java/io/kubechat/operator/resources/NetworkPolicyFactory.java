package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ingress NetworkPolicy of a ChatCluster's pods. Hazelcast has no authentication in its open
 * source edition, so this policy is what keeps strangers out of the cluster ports.
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
    List<NetworkPolicyPeer> clientFrom =
        Optional.ofNullable(c.getSpec().getNetworkPolicy())
            .map(NetworkPolicySpec::getClientFrom)
            .orElse(List.of());
    List<NetworkPolicyPeer> http = new ArrayList<>();
    if (!clientFrom.isEmpty()) {
      http.addAll(clientFrom);
      http.add(sameCluster);
      if (operatorNamespace != null) {
        // the operator polls every pod's /status on the HTTP port
        http.add(
            new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", operatorNamespace))
                .endNamespaceSelector()
                .build());
      }
    }
    return Optional.of(
        new NetworkPolicyBuilder()
            .withMetadata(Owners.meta(c, Names.networkPolicy(c), Names.labels(c, "network-policy")))
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(Names.selector(c))
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .withFrom(sameCluster)
            .withPorts(port(Names.HAZELCAST_PORT), port(Names.EVENTBUS_PORT))
            .endIngress()
            .addNewIngress()
            .withFrom(http)
            .withPorts(port(Names.HTTP_PORT))
            .endIngress()
            .endSpec()
            .build());
  }

  private static NetworkPolicyPort port(int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .build();
  }
}
