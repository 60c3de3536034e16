package io.kubechat.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubechat.operator.crd.AuthMode;
import io.kubechat.operator.crd.AuthSpec;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.KeyReference;
import io.kubechat.operator.crd.SpecValidation;
import io.kubechat.operator.support.Clusters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.auth becomes the pods' KUBECHAT_AUTH* environment and read-only key mounts. */
class PodAuthTest {
  final PodFactory factory = new PodFactory("kubechat/chat-pod:default", "cluster.local");

  private static ChatCluster with(AuthSpec a) {
    return Clusters.cluster("ns", "demo", 3, s -> s.setAuth(a));
  }

  private static Container chat(Pod p) {
    return p.getSpec().getContainers().get(0);
  }

  @Test
  void aSecretKeyIsMountedReadOnlyAndNamedInTheEnvironment() {
    AuthSpec a = new AuthSpec();
    a.setSecret(new KeyReference("chat-hmac", "hmac"));
    a.setIssuer("https://id.example.com");
    a.setAudience(List.of("chat", "chat-web"));
    a.setClockSkewSeconds(5);
    a.setReauthGraceSeconds(60);
    Pod p = factory.pod(with(a), 1, false);
    assertThat(Clusters.env(p, "KUBECHAT_AUTH")).isEqualTo("jwt");
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_JWT_KEY_FILE")).isEqualTo(PodAuth.KEY_FILE);
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_JWKS_FILE")).isNull();
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_ISSUER")).isEqualTo("https://id.example.com");
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_AUDIENCE")).isEqualTo("chat,chat-web");
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_CLOCK_SKEW_S")).isEqualTo("5");
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_REAUTH_GRACE_S")).isEqualTo("60");
    assertThat(p.getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals(PodAuth.KEY_VOLUME))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("chat-hmac");
              assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440);
              assertThat(v.getSecret().getItems())
                  .singleElement()
                  .satisfies(
                      i -> {
                        assertThat(i.getKey()).isEqualTo("hmac");
                        assertThat(i.getPath()).isEqualTo("key");
                      });
            });
    assertThat(chat(p).getVolumeMounts())
        .filteredOn(m -> m.getName().equals(PodAuth.KEY_VOLUME))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath() + "/key").isEqualTo(PodAuth.KEY_FILE);
              assertThat(m.getReadOnly()).isTrue();
            });
    // the key's reference is part of the pod spec: changing it rolls the pods
    AuthSpec other = new AuthSpec();
    other.setSecret(new KeyReference("chat-hmac-2", "hmac"));
    assertThat(factory.desiredHash(with(other))).isNotEqualTo(factory.desiredHash(with(a)));
  }

  @Test
  void aJwksConfigMapIsMountedWithItsDefaultKey() {
    AuthSpec a = new AuthSpec();
    a.setJwksConfigMap(new KeyReference("chat-jwks", null));
    Pod p = factory.pod(with(a), 0, true);
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_JWKS_FILE")).isEqualTo(PodAuth.JWKS_FILE);
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_JWT_KEY_FILE")).isNull();
    assertThat(p.getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals(PodAuth.JWKS_VOLUME))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getConfigMap().getName()).isEqualTo("chat-jwks");
              assertThat(v.getConfigMap().getItems().get(0).getKey()).isEqualTo("jwks.json");
            });
    assertThat(chat(p).getVolumeMounts())
        .filteredOn(m -> m.getName().equals(PodAuth.JWKS_VOLUME))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
  }

  @Test
  void modeNoneSetsOnlyTheModeAndNoSpecSetsNothing() {
    AuthSpec none = new AuthSpec();
    none.setMode(AuthMode.none);
    none.setSecret(new KeyReference("unused", null));
    Pod p = factory.pod(with(none), 0, false);
    assertThat(Clusters.env(p, "KUBECHAT_AUTH")).isEqualTo("none");
    assertThat(Clusters.env(p, "KUBECHAT_AUTH_JWT_KEY_FILE")).isNull();
    assertThat(p.getSpec().getVolumes()).noneMatch(v -> v.getName().startsWith("auth-"));
    // unset: the pod's own default (jwt, and without a key it refuses every client)
    Pod unset = factory.pod(Clusters.cluster("ns", "demo", 3, s -> {}), 0, false);
    assertThat(Clusters.env(unset, "KUBECHAT_AUTH")).isNull();
    assertThat(unset.getSpec().getVolumes()).noneMatch(v -> v.getName().startsWith("auth-"));
  }

  @Test
  void jwtWithoutAKeySourceIsAClearError() {
    assertThat(SpecValidation.validate(with(new AuthSpec())))
        .singleElement()
        .asString()
        .contains("spec.auth.mode jwt needs a key")
        .contains("spec.auth.secret")
        .contains("spec.auth.jwksConfigMap");
    AuthSpec bad = new AuthSpec();
    bad.setSecret(new KeyReference("Not_A_Name", "a/b"));
    bad.setClockSkewSeconds(-1);
    assertThat(SpecValidation.validate(with(bad)))
        .anySatisfy(e -> assertThat(e).contains("spec.auth.secret.name"))
        .anySatisfy(e -> assertThat(e).contains("spec.auth.secret.key"))
        .anySatisfy(e -> assertThat(e).contains("spec.auth.clockSkewSeconds"));
    AuthSpec none = new AuthSpec();
    none.setMode(AuthMode.none);
    assertThat(SpecValidation.validate(with(none))).isEmpty();
  }
}
