package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A PersistentVolumeClaim per pod for the data directory, instead of an emptyDir. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
  @Required
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  @JsonPropertyDescription(
      "Size of each pod's PersistentVolumeClaim, a Kubernetes quantity such as 1Gi. Applies to"
          + " claims created from now on; existing claims keep their size.")
  private String size;

  @JsonPropertyDescription(
      "StorageClass of the claims; unset means the cluster's default StorageClass.")
  private String storageClassName;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }
}
