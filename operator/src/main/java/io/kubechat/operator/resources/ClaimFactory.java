package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.StorageSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The PersistentVolumeClaim of a pod's data directory when spec.storage is set. As in
 * CloudNativePG, one claim per pod name, owned by the ChatCluster and not by the pod: a deleted or
 * replaced pod comes back under the same name to the same claim, with its history; deleting the
 * ChatCluster deletes the claims.
 */
public final class ClaimFactory {
  private ClaimFactory() {}

  public static Optional<PersistentVolumeClaim> claim(ChatCluster c, int ordinal) {
    StorageSpec s = c.getSpec().getStorage();
    if (s == null) {
      return Optional.empty();
    }
    Map<String, String> labels = Names.labels(c, "data");
    labels.put(Names.ORDINAL_LABEL, Integer.toString(ordinal));
    return Optional.of(
        new PersistentVolumeClaimBuilder()
            .withMetadata(Owners.meta(c, Names.dataClaim(c, ordinal), labels))
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(s.getStorageClassName())
            .withNewResources()
            .addToRequests("storage", new Quantity(s.getSize()))
            .endResources()
            .endSpec()
            .build());
  }
}
