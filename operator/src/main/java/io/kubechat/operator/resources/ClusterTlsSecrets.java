package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.tls.ClusterCa;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The two Secrets of a closed cluster, both owned by the ChatCluster: {@code <name>-cluster-ca}
 * (the CA's certificate and key, read only by the operator) and {@code <name>-cluster-tls} (the
 * member certificate with the CA certificate, mounted into every pod). Both in the layout of a
 * {@code kubernetes.io/tls} Secret ({@code tls.crt}, {@code tls.key}; the member one adds {@code
 * ca.crt}, as cert-manager writes it).
 */
public final class ClusterTlsSecrets {
  public static final String CA_CRT = "ca.crt";
  public static final String TLS_CRT = "tls.crt";
  public static final String TLS_KEY = "tls.key";

  private ClusterTlsSecrets() {}

  public static Secret ca(ChatCluster c, ClusterCa ca) {
    return new SecretBuilder()
        .withMetadata(Owners.meta(c, Names.clusterCaSecret(c), Names.labels(c, "cluster-ca")))
        .withType("kubernetes.io/tls")
        .withStringData(Map.of(TLS_CRT, ca.certPem(), TLS_KEY, ca.keyPem()))
        .build();
  }

  public static Secret member(ChatCluster c, ClusterCa ca, ClusterCa.Member member) {
    return new SecretBuilder()
        .withMetadata(Owners.meta(c, Names.clusterTlsSecret(c), Names.labels(c, "cluster-tls")))
        .withType("kubernetes.io/tls")
        .withStringData(
            Map.of(CA_CRT, ca.certPem(), TLS_CRT, member.certPem(), TLS_KEY, member.keyPem()))
        .build();
  }

  /** The decoded value of {@code key} in {@code s} (data is base64; stringData as written). */
  public static Optional<String> value(Secret s, String key) {
    if (s.getData() != null && s.getData().get(key) != null) {
      return Optional.of(
          new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8));
    }
    return Optional.ofNullable(s.getStringData()).map(d -> d.get(key));
  }
}
