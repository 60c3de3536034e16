package io.kubechat.operator.reconcile;

import static io.kubechat.operator.support.Clusters.cluster;
import static io.kubechat.operator.support.Clusters.pods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubechat.operator.resources.ClusterTlsSecrets;
import io.kubechat.operator.support.EmbeddedOperator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The closed cluster's Secrets with the mock API server: a CA Secret and a member certificate
 * Secret owned by the ChatCluster, mounted read-only into every pod; created once and kept across
 * reconciles; recreated when deleted (a deleted member Secret from the same CA, a deleted CA Secret
 * with a new CA and a member certificate reissued by it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTlsControllerTest {
  static final String NS = "closed";
  static final String HOST = "127.0.23.30";
  static final Duration WAIT = Duration.ofSeconds(20);

  EmbeddedOperator embedded;
  KubernetesClient client;

  @BeforeAll
  void start() {
    embedded = EmbeddedOperator.start(HOST);
    client = embedded.client();
  }

  @AfterAll
  void stop() {
    if (embedded != null) {
      embedded.close();
    }
  }

  @Test
  void theOperatorIssuesKeepsAndRecreatesTheClusterCertificates() throws Exception {
    client.resource(cluster(NS, "zeta", 3, s -> {})).create();
    await()
        .atMost(WAIT)
        .until(() -> secret("zeta-cluster-ca") != null && secret("zeta-cluster-tls") != null);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods(client, NS, "zeta")).hasSize(3));

    Secret ca = secret("zeta-cluster-ca");
    Secret member = secret("zeta-cluster-tls");
    for (Secret s : new Secret[] {ca, member}) {
      assertThat(s.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(s.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("ChatCluster");
                assertThat(o.getName()).isEqualTo("zeta");
                assertThat(o.getController()).isTrue();
              });
    }
    X509Certificate caCert = cert(value(ca, "tls.crt"));
    assertThat(value(member, "ca.crt")).isEqualTo(value(ca, "tls.crt"));
    X509Certificate memberCert = cert(value(member, "tls.crt"));
    memberCert.verify(caCert.getPublicKey());
    assertThat(caCert.getBasicConstraints()).as("the CA is a CA").isGreaterThanOrEqualTo(0);
    assertThat(memberCert.getBasicConstraints()).as("the member is not").isEqualTo(-1);
    assertThat(memberCert.getExtendedKeyUsage())
        .contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client auth
    assertThat(value(member, "tls.key")).contains("BEGIN PRIVATE KEY");

    for (Pod p : pods(client, NS, "zeta")) {
      Volume v =
          p.getSpec().getVolumes().stream()
              .filter(x -> x.getSecret() != null)
              .findFirst()
              .orElseThrow();
      assertThat(v.getSecret().getSecretName()).isEqualTo("zeta-cluster-tls");
      var c = p.getSpec().getContainers().get(0);
      assertThat(c.getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo(v.getName());
                assertThat(m.getMountPath()).isEqualTo("/etc/kubechat/cluster-tls");
                assertThat(m.getReadOnly()).isTrue();
              });
      assertThat(c.getEnv())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("KUBECHAT_CLUSTER_TLS_DIR");
                assertThat(e.getValue()).isEqualTo("/etc/kubechat/cluster-tls");
              });
    }

    // reconciles (a pod deleted and recreated) leave both Secrets as they were
    String podUid = client.pods().inNamespace(NS).withName("zeta-2").get().getMetadata().getUid();
    client.pods().inNamespace(NS).withName("zeta-2").withGracePeriod(0).delete();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = client.pods().inNamespace(NS).withName("zeta-2").get();
              return p != null && !p.getMetadata().getUid().equals(podUid);
            });
    assertThat(value(secret("zeta-cluster-ca"), "tls.key")).isEqualTo(value(ca, "tls.key"));
    assertThat(value(secret("zeta-cluster-tls"), "tls.key")).isEqualTo(value(member, "tls.key"));

    // a deleted member Secret comes back, signed by the same CA
    client.secrets().inNamespace(NS).withName("zeta-cluster-tls").delete();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Secret s = secret("zeta-cluster-tls");
              return s != null && !value(s, "tls.key").equals(value(member, "tls.key"));
            });
    cert(value(secret("zeta-cluster-tls"), "tls.crt")).verify(caCert.getPublicKey());
    assertThat(value(secret("zeta-cluster-ca"), "tls.key")).isEqualTo(value(ca, "tls.key"));

    // a deleted CA Secret: a new CA, and the member certificate reissued by it
    client.secrets().inNamespace(NS).withName("zeta-cluster-ca").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Secret newCa = secret("zeta-cluster-ca");
              assertThat(newCa).isNotNull();
              assertThat(value(newCa, "tls.crt")).isNotEqualTo(value(ca, "tls.crt"));
              Secret m = secret("zeta-cluster-tls");
              assertThat(value(m, "ca.crt")).isEqualTo(value(newCa, "tls.crt"));
              cert(value(m, "tls.crt")).verify(cert(value(newCa, "tls.crt")).getPublicKey());
            });
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(NS).withName(name).get();
  }

  private static String value(Secret s, String key) {
    return ClusterTlsSecrets.value(s, key).orElseThrow();
  }

  private static X509Certificate cert(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
  }
}
