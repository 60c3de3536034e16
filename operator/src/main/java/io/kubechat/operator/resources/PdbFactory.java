package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kubechat.operator.Quorum;
import io.kubechat.operator.crd.ChatCluster;

/** A PodDisruptionBudget that keeps a majority of the pods through voluntary disruptions. */
public final class PdbFactory {
  private PdbFactory() {}

  public static PodDisruptionBudget pdb(ChatCluster c) {
    int replicas = c.getSpec().getReplicas() == null ? 3 : c.getSpec().getReplicas();
    return new PodDisruptionBudgetBuilder()
        .withMetadata(Owners.meta(c, Names.pdb(c), Names.labels(c, "disruption-budget")))
        .withNewSpec()
        .withMinAvailable(new IntOrString(Quorum.majority(replicas)))
        .withNewSelector()
        .withMatchLabels(Names.selector(c))
        .endSelector()
        .endSpec()
        .build();
  }
}
