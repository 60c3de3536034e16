package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The security contexts of a chat pod: what the Pod Security Standard "restricted" requires, with
 * the image's user (10001, see chat-pod/Dockerfile) set explicitly so that the kubelet can check
 * runAsNonRoot without inspecting the image.
 */
public final class PodSecurity {
  /** The user and group of the chat pod image. */
  public static final long USER = 10001;

  private PodSecurity() {}

  static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(USER)
        .withRunAsGroup(USER)
        // Volumes (a PVC in particular) become writable for the group; OnRootMismatch skips the
        // recursive chown of a large data directory on every start.
        .withFsGroup(USER)
        .withFsGroupChangePolicy("OnRootMismatch")
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static SecurityContext container() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }
}
