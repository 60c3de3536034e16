package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kubechat.operator.crd.ChatCluster;
import java.util.List;

/**
 * The writable places of a chat pod, whose root file system is read-only: /tmp (the JVM's and
 * Vert.x's scratch files) and the data directory: an emptyDir, or the pod's claim when spec.storage
 * is set ({@link ClaimFactory}); and, read-only, the cluster member certificate ({@link
 * ClusterTlsSecrets}).
 */
public final class PodVolumes {
  public static final String DATA_DIR = "/var/lib/kubechat";

  /** Where the member certificate Secret is mounted, read-only (KUBECHAT_CLUSTER_TLS_DIR). */
  public static final String CLUSTER_TLS_DIR = "/etc/kubechat/cluster-tls";

  static final String CLUSTER_TLS_VOLUME = "cluster-tls";
  static final String TMP_VOLUME = "tmp";
  static final String DATA_VOLUME = "data";

  private PodVolumes() {}

  static List<Volume> volumes(ChatCluster c, int ordinal) {
    return List.of(
        new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build(),
        c.getSpec().getStorage() == null
            ? new VolumeBuilder().withName(DATA_VOLUME).withNewEmptyDir().endEmptyDir().build()
            : new VolumeBuilder()
                .withName(DATA_VOLUME)
                .withNewPersistentVolumeClaim()
                .withClaimName(Names.dataClaim(c, ordinal))
                .endPersistentVolumeClaim()
                .build(),
        // 0440: owned by root and the pod's fsGroup, readable by the chat process only
        new VolumeBuilder()
            .withName(CLUSTER_TLS_VOLUME)
            .withNewSecret()
            .withSecretName(Names.clusterTlsSecret(c))
            .withDefaultMode(0440)
            .endSecret()
            .build());
  }

  static List<VolumeMount> mounts() {
    return List.of(
        new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build(),
        new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(DATA_DIR).build(),
        new VolumeMountBuilder()
            .withName(CLUSTER_TLS_VOLUME)
            .withMountPath(CLUSTER_TLS_DIR)
            .withReadOnly(true)
            .build());
  }
}
