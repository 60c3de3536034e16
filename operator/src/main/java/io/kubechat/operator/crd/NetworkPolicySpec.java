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
          + " only pods of this ChatCluster, the HTTP port (8080) accepts clientFrom, or everyone"
          + " when clientFrom is empty; default true, false deletes the NetworkPolicy.")
  private Boolean enabled = true;

  @JsonPropertyDescription(
      "NetworkPolicy peers (podSelector, namespaceSelector, ipBlock) that may reach the HTTP port;"
          + " empty means any. The operator's namespace is always allowed, because it polls the"
          + " pods' /status on that port.")
  private List<NetworkPolicyPeer> clientFrom;

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
}
