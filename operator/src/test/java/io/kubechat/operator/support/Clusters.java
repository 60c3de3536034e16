package io.kubechat.operator.support;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterSpec;
import io.kubechat.operator.crd.FailurePolicy;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Test helpers to build ChatClusters and read what the operator made. */
public final class Clusters {
  private Clusters() {}

  public static ChatCluster cluster(
      String ns, String name, int replicas, Consumer<ChatClusterSpec> more) {
    ChatCluster c = new ChatCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ChatClusterSpec s = new ChatClusterSpec();
    s.setReplicas(replicas);
    s.setImage("kubechat/chat-pod:test");
    FailurePolicy fp = new FailurePolicy();
    fp.setUnhealthyAfterSeconds(30);
    s.setFailurePolicy(fp);
    more.accept(s);
    c.setSpec(s);
    return c;
  }

  public static List<Pod> pods(KubernetesClient client, String ns, String name) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabels(
            Map.of("app.kubernetes.io/instance", name, "app.kubernetes.io/name", "kubechat"))
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  public static ChatCluster get(KubernetesClient client, String ns, String name) {
    return client.resources(ChatCluster.class).inNamespace(ns).withName(name).get();
  }

  /** Writes what a kubelet would for a pod: phase and Ready (the whole status, no conflicts). */
  public static void setPodStatus(KubernetesClient client, Pod pod, String phase, boolean ready) {
    setPodStatus(client, pod, phase, ready, null);
  }

  /** The same with a pod IP, which the operator polls /status on. */
  public static void setPodStatus(
      KubernetesClient client, Pod pod, String phase, boolean ready, String podIp) {
    String now = Instant.now().toString();
    Map<String, Object> status = new HashMap<>();
    status.put("phase", phase);
    if (podIp != null) {
      status.put("podIP", podIp);
    }
    status.put(
        "startTime",
        pod.getStatus() == null || pod.getStatus().getStartTime() == null
            ? now
            : pod.getStatus().getStartTime());
    status.put(
        "conditions",
        List.of(
            new PodConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withLastTransitionTime(now)
                .build()));
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", status))));
  }

  /** Changes a ChatCluster's spec with a merge patch (no conflict with the operator's writes). */
  public static void patchSpec(
      KubernetesClient client, String ns, String name, Map<String, Object> spec) {
    client
        .resources(ChatCluster.class)
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
  }

  public static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(
            e ->
                e.getValue() != null
                    ? e.getValue()
                    : "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath())
        .findFirst()
        .orElse(null);
  }
}
