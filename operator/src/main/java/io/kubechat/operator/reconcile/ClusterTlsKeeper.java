package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.resources.ClusterTlsSecrets;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.tls.ClusterCa;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a ChatCluster's CA and member certificate Secrets: created once and then left alone (no new
 * key on every reconcile), recreated when deleted. A member Secret that the current CA did not sign
 * (the CA Secret was deleted: a new CA) or that is within {@link #RENEW_BEFORE} of its end is
 * reissued in place; pods read it when they start, so running pods keep theirs until they are
 * replaced (docs/security.md, rotation).
 */
final class ClusterTlsKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterTlsKeeper.class);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final Clock clock;

  ClusterTlsKeeper(Clock clock) {
    this.clock = clock;
  }

  /**
   * Creates what is missing. Pods need not wait: like a kubelet, they start once the Secret they
   * mount exists.
   */
  void ensure(KubernetesClient client, ChatCluster cc, Set<Secret> existing) {
    String ns = cc.getMetadata().getNamespace();
    String name = cc.getMetadata().getName();
    Optional<Secret> caSecret = find(existing, Names.clusterCaSecret(cc));
    ClusterCa ca;
    if (caSecret.isPresent()) {
      Optional<ClusterCa> read = readCa(caSecret.get());
      if (read.isEmpty()) {
        // never overwrite a CA we cannot read: someone must look at it
        LOG.error(
            "secret {} is not a readable CA (tls.crt, tls.key); delete it to get a new CA",
            Names.clusterCaSecret(cc));
        return;
      }
      ca = read.get();
    } else {
      ca = ClusterCa.generate(ns, name, clock);
      if (!create(client, ClusterTlsSecrets.ca(cc, ca))) {
        return; // created meanwhile (the cache lags): use that one next time
      }
    }
    ensureMember(client, cc, ca, find(existing, Names.clusterTlsSecret(cc)));
  }

  private void ensureMember(
      KubernetesClient client, ChatCluster cc, ClusterCa ca, Optional<Secret> member) {
    String ns = cc.getMetadata().getNamespace();
    String name = cc.getMetadata().getName();
    if (member.isEmpty()) {
      create(client, ClusterTlsSecrets.member(cc, ca, ca.issueMember(ns, name, clock)));
      return;
    }
    boolean current =
        ClusterTlsSecrets.value(member.get(), ClusterTlsSecrets.TLS_CRT)
                .map(pem -> ca.signed(pem, RENEW_BEFORE, clock))
                .orElse(false)
            && ClusterTlsSecrets.value(member.get(), ClusterTlsSecrets.CA_CRT)
                .map(pem -> pem.contains(ca.certPem().strip()))
                .orElse(false);
    if (!current) {
      Secret fresh = ClusterTlsSecrets.member(cc, ca, ca.issueMember(ns, name, clock));
      client
          .secrets()
          .inNamespace(ns)
          .withName(Names.clusterTlsSecret(cc))
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("stringData", fresh.getStringData())));
      LOG.info(
          "reissued the member certificate in {} (not signed by the current CA, or expiring)",
          Names.clusterTlsSecret(cc));
    }
  }

  private static Optional<ClusterCa> readCa(Secret s) {
    Optional<String> cert = ClusterTlsSecrets.value(s, ClusterTlsSecrets.TLS_CRT);
    Optional<String> key = ClusterTlsSecrets.value(s, ClusterTlsSecrets.TLS_KEY);
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ClusterCa.fromPem(cert.get(), key.get()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Secret> find(Set<Secret> existing, String name) {
    return existing.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
  }

  /** Creates {@code s}; false if it exists already (a 409). */
  private static boolean create(KubernetesClient client, Secret s) {
    try {
      client.resource(s).create();
      LOG.info("created secret {}", s.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }
}
