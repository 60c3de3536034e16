package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** What a user may add to every chat pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatPodTemplate {
  @JsonPropertyDescription(
      "Extra pod labels; the app.kubernetes.io/* and kubechat.io/* keys are reserved.")
  private Map<String, String> labels;

  @JsonPropertyDescription("Extra pod annotations; kubechat.io/* keys are reserved.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Node selector of the pods.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the pods.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Affinity of the pods; the operator adds its pod anti-affinity (spec.antiAffinity) to it.")
  private Affinity affinity;

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }
}
