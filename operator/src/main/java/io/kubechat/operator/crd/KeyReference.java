package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret or ConfigMap in the ChatCluster's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyReference {
  @Required
  @JsonPropertyDescription("Name of the Secret or ConfigMap, in the ChatCluster's namespace.")
  private String name;

  @JsonPropertyDescription(
      "The key in it whose value is mounted; default key (Secret) or jwks.json (ConfigMap).")
  private String key;

  public KeyReference() {}

  public KeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
