package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kubechat.operator.crd.ChatCluster;
import java.util.Map;

/** Metadata with the controller owner reference, so deleting the ChatCluster deletes all. */
final class Owners {
  private Owners() {}

  static ObjectMeta meta(ChatCluster c, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(c.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(c.getApiVersion())
                .withKind(c.getKind())
                .withName(c.getMetadata().getName())
                .withUid(c.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .build();
  }
}
