package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

/** The NetworkPolicy the operator keeps for the chat pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {
  @Default("true")
  @JsonPropertyDescription(
      "Create a NetworkPolicy <name>-pods: the Hazelcast (5701) and event-bus (5702) ports accept"
          + " only pods of this ChatCluster, the client port (8080) accepts clientFrom, or everyone"
          + " when clientFrom is empty, the admin port (9090: /status, /metrics, probes) accepts"
          + " only the operator's namespace and adminFrom; default true, false deletes the"
          + " NetworkPolicy.")
  private Boolean enabled = true;

  @JsonPropertyDescription(
      "NetworkPolicy peers (podSelector, namespaceSelector, ipBlock) that may reach the client"
          + " port (WebSocket /ws and the chat page); empty means any.")
  private List<NetworkPolicyPeer> clientFrom;

  @JsonPropertyDescription(
      "NetworkPolicy peers (podSelector, namespaceSelector, ipBlock) that may reach the admin port"
          + " (9090: /status, /metrics, /healthz, /readyz, POST /admin/recover-quorum) besides the"
          + " operator's namespace, e.g. Prometheus's namespace. The kubelet's probes come from"
          + " the node and need no entry.")
  private List<NetworkPolicyPeer> adminFrom;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<NetworkPolicyPeer> getClientFrom() {
    return clientFrom;
  }

  public void setClientFrom(List<NetworkPolicyPeer> clientFrom) {
    this.clientFrom = clientFrom;
  }

  public List<NetworkPolicyPeer> getAdminFrom() {
    return adminFrom;
  }

  public void setAdminFrom(List<NetworkPolicyPeer> adminFrom) {
    this.adminFrom = adminFrom;
  }
}
