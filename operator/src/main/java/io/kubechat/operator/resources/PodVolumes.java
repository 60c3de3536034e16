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
 * is set ({@link ClaimFactory}); and, read-only, the client-port TLS Secret of spec.tls.
 */
public final class PodVolumes {
  public static final String DATA_DIR = "/var/lib/kubechat";

  /** Where spec.tls.secretName is mounted: KUBECHAT_CLIENT_TLS_DIR. */
  public static final String CLIENT_TLS_DIR = "/etc/kubechat/client-tls";

  static final String TMP_VOLUME = "tmp";
  static final String DATA_VOLUME = "data";
  static final String CLIENT_TLS_VOLUME = "client-tls";

  /** Owner and group (fsGroup) may read the key; nobody may write. */
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
    clientTlsSecret(c)
        .ifPresent(
            secret ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(CLIENT_TLS_VOLUME)
                        .withNewSecret()
                        .withSecretName(secret)
                        .withDefaultMode(SECRET_MODE)
                        .endSecret()
                        .build()));
    return List.copyOf(volumes);
  }

  static List<VolumeMount> mounts(ChatCluster c) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
    mounts.add(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(DATA_DIR).build());
    // the whole volume, never subPath: the kubelet then swaps in a renewed certificate
    clientTlsSecret(c)
        .ifPresent(
            secret ->
                mounts.add(
                    new VolumeMountBuilder()
                        .withName(CLIENT_TLS_VOLUME)
                        .withMountPath(CLIENT_TLS_DIR)
                        .withReadOnly(true)
                        .build()));
    return List.copyOf(mounts);
  }

  /** The Secret of spec.tls, if TLS on the client port is asked for. */
  static Optional<String> clientTlsSecret(ChatCluster c) {
    return Optional.ofNullable(c.getSpec().getTls())
        .map(TlsSpec::getSecretName)
        .filter(n -> !n.isBlank());
  }
}
