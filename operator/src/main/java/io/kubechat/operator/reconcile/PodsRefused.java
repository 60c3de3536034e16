package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubechat.operator.status.Assessment;
import io.kubechat.operator.status.ClusterFacts;
import io.kubechat.operator.status.ConditionSpec;
import io.kubechat.operator.status.Phase;
import java.util.List;
import java.util.Optional;

/**
 * A pod the API server refused to create (403 from an admission policy such as Pod Security, 422
 * from validation). Retrying cannot help until the spec or the policy changes, so the refusal is
 * shown in the phase and the conditions with the API server's own message instead of failing the
 * reconcile.
 */
record PodsRefused(String pod, int code, String apiMessage) {
  static final String REASON = "PodsRefused";

  static boolean isRefusal(KubernetesClientException e) {
    return e.getCode() == 403 || e.getCode() == 422;
  }

  static PodsRefused of(String pod, KubernetesClientException e) {
    String msg =
        Optional.ofNullable(e.getStatus())
            .map(s -> s.getMessage())
            .filter(m -> !m.isBlank())
            .orElse(e.getMessage());
    return new PodsRefused(pod, e.getCode(), msg);
  }

  String message() {
    return "the API server refuses to create pod " + pod + " (HTTP " + code + "): " + apiMessage;
  }

  /**
   * The assessment with Ready false and Degraded true for this refusal; Failed below a majority.
   */
  Assessment applyTo(Assessment a, ClusterFacts f) {
    Phase phase = f.ready() < f.majority() ? Phase.Failed : Phase.Degraded;
    List<ConditionSpec> c =
        a.conditions().stream()
            .map(
                x ->
                    switch (x.type()) {
                      case ConditionSpec.READY ->
                          new ConditionSpec(ConditionSpec.READY, false, REASON, message());
                      case ConditionSpec.DEGRADED ->
                          new ConditionSpec(ConditionSpec.DEGRADED, true, REASON, message());
                      default -> x;
                    })
            .toList();
    return new Assessment(phase, a.formed(), c);
  }
}
