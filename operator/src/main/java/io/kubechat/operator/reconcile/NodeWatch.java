package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubechat.operator.health.PodFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows which nodes exist, to replace pods whose node is gone. Without permission to watch nodes it
 * never syncs and answers UNKNOWN, which disables only that rule.
 */
public final class NodeWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeWatch.class);
  private final SharedIndexInformer<Node> informer;

  public NodeWatch(KubernetesClient client) {
    SharedIndexInformer<Node> i = null;
    try {
      i = client.nodes().runnableInformer(0);
      i.start()
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.warn("cannot watch nodes, the NodeLost rule is off: {}", e.getMessage());
                }
              });
    } catch (RuntimeException e) {
      LOG.warn("cannot watch nodes, the NodeLost rule is off: {}", e.getMessage());
    }
    this.informer = i;
  }

  public PodFacts.NodeState state(String nodeName) {
    if (nodeName == null || informer == null || !informer.hasSynced()) {
      return PodFacts.NodeState.UNKNOWN;
    }
    return informer.getStore().getByKey(nodeName) != null
        ? PodFacts.NodeState.PRESENT
        : PodFacts.NodeState.GONE;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
