package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a ChatCluster's whole status with one JSON Patch ({@code add /status} replaces it), so the
 * write never depends on a possibly stale cached copy, and remembers what it wrote: the next
 * reconcile compares against that rather than against an informer cache that may lag behind.
 */
public final class StatusWriter {
  private final Map<ResourceID, ChatClusterStatus> written = new ConcurrentHashMap<>();

  /** The newest status known: the one last written, else the one in the resource. */
  public ChatClusterStatus current(ChatCluster cc) {
    ChatClusterStatus mine = written.get(ResourceID.fromResource(cc));
    return Optional.ofNullable(mine)
        .or(() -> Optional.ofNullable(cc.getStatus()))
        .orElseGet(ChatClusterStatus::new);
  }

  public void write(KubernetesClient client, ChatCluster cc, ChatClusterStatus status) {
    String patch =
        Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    client
        .resources(ChatCluster.class)
        .inNamespace(cc.getMetadata().getNamespace())
        .withName(cc.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch);
    written.put(ResourceID.fromResource(cc), status);
  }

  public void forget(ResourceID id) {
    written.remove(id);
  }
}
