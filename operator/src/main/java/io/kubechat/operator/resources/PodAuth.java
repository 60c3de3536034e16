package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kubechat.operator.crd.AuthMode;
import io.kubechat.operator.crd.AuthSpec;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.KeyReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Client authentication of a chat pod (spec.auth): the KUBECHAT_AUTH* environment and the key
 * Secret or JWKS ConfigMap, each mounted read-only as one file. Without spec.auth nothing is set,
 * and the pods refuse every client (authentication on, no key).
 */
public final class PodAuth {
  static final String KEY_VOLUME = "auth-key";
  static final String JWKS_VOLUME = "auth-jwks";
  public static final String KEY_FILE = "/etc/kubechat/auth-key/key";
  public static final String JWKS_FILE = "/etc/kubechat/auth-jwks/jwks.json";

  /** Owner and group read only (the pod runs as 10001 with fsGroup 10001). */
  private static final int SECRET_MODE = 0440;

  private PodAuth() {}

  static List<EnvVar> env(ChatCluster c) {
    AuthSpec a = c.getSpec().getAuth();
    List<EnvVar> env = new ArrayList<>();
    if (a == null) {
      return env;
    }
    AuthMode mode = Optional.ofNullable(a.getMode()).orElse(AuthMode.jwt);
    env.add(env("KUBECHAT_AUTH", mode.name()));
    if (mode == AuthMode.none) {
      return env;
    }
    if (a.getSecret() != null) {
      env.add(env("KUBECHAT_AUTH_JWT_KEY_FILE", KEY_FILE));
    }
    if (a.getJwksConfigMap() != null) {
      env.add(env("KUBECHAT_AUTH_JWKS_FILE", JWKS_FILE));
    }
    optional(env, "KUBECHAT_AUTH_ISSUER", a.getIssuer());
    if (a.getAudience() != null && !a.getAudience().isEmpty()) {
      env.add(env("KUBECHAT_AUTH_AUDIENCE", String.join(",", a.getAudience())));
    }
    optional(env, "KUBECHAT_AUTH_GROUPS_CLAIM", a.getGroupsClaim());
    optional(env, "KUBECHAT_AUTH_CLOCK_SKEW_S", a.getClockSkewSeconds());
    optional(env, "KUBECHAT_AUTH_REAUTH_GRACE_S", a.getReauthGraceSeconds());
    return env;
  }

  static List<Volume> volumes(ChatCluster c) {
    List<Volume> out = new ArrayList<>();
    AuthSpec a = jwt(c);
    if (a == null) {
      return out;
    }
    if (a.getSecret() != null) {
      out.add(
          new VolumeBuilder()
              .withName(KEY_VOLUME)
              .withNewSecret()
              .withSecretName(a.getSecret().getName())
              .withDefaultMode(SECRET_MODE)
              .addNewItem()
              .withKey(key(a.getSecret(), "key"))
              .withPath("key")
              .endItem()
              .endSecret()
              .build());
    }
    if (a.getJwksConfigMap() != null) {
      out.add(
          new VolumeBuilder()
              .withName(JWKS_VOLUME)
              .withNewConfigMap()
              .withName(a.getJwksConfigMap().getName())
              .addNewItem()
              .withKey(key(a.getJwksConfigMap(), "jwks.json"))
              .withPath("jwks.json")
              .endItem()
              .endConfigMap()
              .build());
    }
    return out;
  }

  static List<VolumeMount> mounts(ChatCluster c) {
    List<VolumeMount> out = new ArrayList<>();
    AuthSpec a = jwt(c);
    if (a == null) {
      return out;
    }
    if (a.getSecret() != null) {
      out.add(mount(KEY_VOLUME, KEY_FILE));
    }
    if (a.getJwksConfigMap() != null) {
      out.add(mount(JWKS_VOLUME, JWKS_FILE));
    }
    return out;
  }

  /** spec.auth when its mode is jwt, else null (mode none mounts nothing). */
  private static AuthSpec jwt(ChatCluster c) {
    AuthSpec a = c.getSpec().getAuth();
    return a == null || a.getMode() == AuthMode.none ? null : a;
  }

  private static VolumeMount mount(String volume, String file) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(file.substring(0, file.lastIndexOf('/')))
        .withReadOnly(true)
        .build();
  }

  private static String key(KeyReference r, String dflt) {
    return r.getKey() == null || r.getKey().isBlank() ? dflt : r.getKey();
  }

  private static void optional(List<EnvVar> env, String name, Object value) {
    if (value != null) {
      env.add(env(name, value.toString()));
    }
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
