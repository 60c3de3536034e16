package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** TLS on the client port, from a Secret in the layout cert-manager writes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription(
      "Secret in the ChatCluster's namespace with tls.crt and tls.key (PEM; ca.crt optional), such"
          + " as a cert-manager Certificate or kubectl create secret tls writes. It is mounted"
          + " read-only at /etc/kubechat/client-tls and the client port serves https and wss://"
          + " (TLS 1.2+); the admin port and the probes stay plain. A renewed certificate is"
          + " picked up by the pods (docs/security.md).")
  private String secretName;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }
}
