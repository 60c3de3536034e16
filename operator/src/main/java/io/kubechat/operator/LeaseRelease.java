package io.kubechat.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up the leader-election Lease on a clean stop, as client-go's ReleaseOnCancel does: the
 * holder is cleared (only if it is still this operator) so that a successor leads at once.
 */
final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;

  LeaseRelease(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  void release() {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now());
      // The update carries the resourceVersion read above: a Lease taken over meanwhile stays.
      client.resource(lease).update();
      LOG.info("released Lease {}/{}", namespace, name);
    } catch (KubernetesClientException e) {
      LOG.warn("could not release Lease {}/{}: {}", namespace, name, e.getMessage());
    }
  }
}
