package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;

/**
 * Resources of the chat container when spec.resources gives none, so that pods are not BestEffort
 * (the first to be evicted). No CPU limit: throttling delays Raft heartbeats and causes needless
 * elections. The memory limit leaves room above the JVM heap (MaxRAMPercentage=70).
 * docs/operator.md lists these values.
 */
public final class DefaultResources {
  public static final String CPU_REQUEST = "250m";
  public static final String MEMORY_REQUEST = "512Mi";
  public static final String MEMORY_LIMIT = "1Gi";

  private DefaultResources() {}

  /** The spec's resources, or the defaults when it sets no requests and no limits. */
  static ResourceRequirements orDefault(ResourceRequirements spec) {
    if (spec != null && !(isEmpty(spec.getRequests()) && isEmpty(spec.getLimits()))) {
      return spec;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(CPU_REQUEST))
        .addToRequests("memory", new Quantity(MEMORY_REQUEST))
        .addToLimits("memory", new Quantity(MEMORY_LIMIT))
        .build();
  }

  private static boolean isEmpty(Map<String, Quantity> m) {
    return m == null || m.isEmpty();
  }
}
