package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.TlsSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The writable places of a chat pod, whose root file system is read-only: /tmp (the JVM's and
 * Vert.x's scratch files) and the data directory: an emptyDir, or the pod's claim when spec.storage
 * is set ({@link ClaimFactory}); and, read-only, the cluster member certificate ({@link
 * ClusterTlsSecrets}) and the client-port TLS Secret of spec.tls.
 */
public final class PodVolumes {
  public static final String DATA_DIR = "/var/lib/kubechat";

  /** Where the member certificate Secret is mounted, read-only (KUBECHAT_CLUSTER_TLS_DIR). */
  public static final String CLUSTER_TLS_DIR = "/etc/kubechat/cluster-tls";

  /** Where spec.tls.secretName is mounted: KUBECHAT_CLIENT_TLS_DIR. */
  public static final String CLIENT_TLS_DIR = "/etc/kubechat/client-tls";

  static final String CLUSTER_TLS_VOLUME = "cluster-tls";
  static final String TMP_VOLUME = "tmp";
  static final String DATA_VOLUME = "data";
  static final String CLIENT_TLS_VOLUME = "client-tls";

  /** 0440: owned by root and the pod's fsGroup, readable by the chat process only. */
  private static final int SECRET_MODE = 0440;

  private PodVolumes() {}

  static List<Volume> volumes(ChatCluster c, int ordinal) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(
        c.getSpec().getStorage() == null
            ? new VolumeBuilder().withName(DATA_VOLUME).withNewEmptyDir().endEmptyDir().build()
            : new VolumeBuilder()
                .withName(DATA_VOLUME)
                .withNewPersistentVolumeClaim()
                .withClaimName(Names.dataClaim(c, ordinal))
                .endPersistentVolumeClaim()
                .build());
    volumes.add(secretVolume(CLUSTER_TLS_VOLUME, Names.clusterTlsSecret(c)));
    clientTlsSecret(c).ifPresent(secret -> volumes.add(secretVolume(CLIENT_TLS_VOLUME, secret)));
    return List.copyOf(volumes);
  }

  static List<VolumeMount> mounts(ChatCluster c) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
    mounts.add(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(DATA_DIR).build());
    mounts.add(readOnly(CLUSTER_TLS_VOLUME, CLUSTER_TLS_DIR));
    clientTlsSecret(c).ifPresent(secret -> mounts.add(readOnly(CLIENT_TLS_VOLUME, CLIENT_TLS_DIR)));
    return List.copyOf(mounts);
  }

  /** The Secret of spec.tls, if TLS on the client port is asked for. */
  static Optional<String> clientTlsSecret(ChatCluster c) {
    return Optional.ofNullable(c.getSpec().getTls())
        .map(TlsSpec::getSecretName)
        .filter(n -> !n.isBlank());
  }

  private static Volume secretVolume(String name, String secret) {
    return new VolumeBuilder()
        .withName(name)
        .withNewSecret()
        .withSecretName(secret)
        .withDefaultMode(SECRET_MODE)
        .endSecret()
        .build();
  }

  /** The whole volume, never subPath: the kubelet then swaps in a renewed certificate. */
  private static VolumeMount readOnly(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
  }
}
