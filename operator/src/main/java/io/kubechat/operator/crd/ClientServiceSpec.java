package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The Service clients connect through. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientServiceSpec {
  /** Kubernetes Service types a chat client can reach. */
  public enum Type {
    ClusterIP,
    NodePort,
    LoadBalancer
  }

  @Default("ClusterIP")
  @JsonPropertyDescription("Service type: ClusterIP (the default), NodePort or LoadBalancer.")
  private Type type = Type.ClusterIP;

  @Default("80")
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Service port, 1 to 65535, default 80; it forwards to the pods' HTTP/WebSocket port 8080.")
  private Integer port = 80;

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }
}
