package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.resources.NetworkPolicyFactory;
import io.kubechat.operator.status.LeaderView;
import io.kubechat.operator.status.PodStatusReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the objects a ChatCluster owns besides its pods' lifecycle: the Services and the
 * PodDisruptionBudget (created when missing, merge-patched when they drift) and the pods' role
 * labels. Conflicts from a lagging cache are harmless and ignored.
 */
final class OwnedObjects {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedObjects.class);

  private OwnedObjects() {}

  static void ensure(
      KubernetesClient client, ChatCluster cc, Service desired, Set<Service> existing) {
    String name = desired.getMetadata().getName();
    Optional<Service> current =
        existing.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    if (current.isEmpty()) {
      createIgnoringConflict(client, desired);
      return;
    }
    var cur = current.get().getSpec();
    var want = desired.getSpec();
    boolean same =
        Objects.equals(
                cur.getType() == null ? "ClusterIP" : cur.getType(),
                want.getType() == null ? "ClusterIP" : want.getType())
            && Objects.equals(cur.getSelector(), want.getSelector())
            && Objects.equals(
                Boolean.TRUE.equals(cur.getPublishNotReadyAddresses()),
                Boolean.TRUE.equals(want.getPublishNotReadyAddresses()))
            && ports(cur.getPorts()).equals(ports(want.getPorts()))
            && labelsCover(current.get(), desired);
    if (!same) {
      Map<String, Object> patch =
          Map.of(
              "metadata", Map.of("labels", desired.getMetadata().getLabels()),
              "spec", specPatch(want));
      client
          .services()
          .inNamespace(cc.getMetadata().getNamespace())
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
      LOG.info("updated service {}", name);
    }
  }

  private static Map<String, Object> specPatch(ServiceSpec want) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("type", want.getType() == null ? "ClusterIP" : want.getType());
    spec.put("selector", want.getSelector());
    spec.put("ports", want.getPorts());
    spec.put("publishNotReadyAddresses", Boolean.TRUE.equals(want.getPublishNotReadyAddresses()));
    return spec;
  }

  private static List<String> ports(List<ServicePort> ports) {
    return ports == null
        ? List.of()
        : ports.stream()
            .map(
                p ->
                    p.getName()
                        + ":"
                        + p.getPort()
                        + ":"
                        + (p.getTargetPort() == null ? "" : p.getTargetPort().getValue()))
            .sorted()
            .toList();
  }

  static void ensurePdb(
      KubernetesClient client,
      ChatCluster cc,
      PodDisruptionBudget desired,
      Set<PodDisruptionBudget> existing) {
    String name = desired.getMetadata().getName();
    Optional<PodDisruptionBudget> current =
        existing.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    if (current.isEmpty()) {
      createIgnoringConflict(client, desired);
      return;
    }
    var cur = current.get().getSpec();
    var want = desired.getSpec();
    if (!Objects.equals(cur.getMinAvailable(), want.getMinAvailable())
        || !Objects.equals(cur.getSelector(), want.getSelector())
        || !labelsCover(current.get(), desired)) {
      Map<String, Object> patch =
          Map.of(
              "metadata", Map.of("labels", desired.getMetadata().getLabels()),
              "spec",
                  Map.of("minAvailable", want.getMinAvailable(), "selector", want.getSelector()));
      client
          .policy()
          .v1()
          .podDisruptionBudget()
          .inNamespace(cc.getMetadata().getNamespace())
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
      LOG.info(
          "updated pod disruption budget {} (minAvailable {})",
          name,
          want.getMinAvailable().getValue());
    }
  }

  /**
   * Creates the NetworkPolicy when missing, replaces its spec when it drifted, deletes it when the
   * spec disables it. The operator's namespace is the client's (in a pod: its service account's).
   */
  static void ensureNetworkPolicy(
      KubernetesClient client, ChatCluster cc, Set<NetworkPolicy> existing) {
    String name = Names.networkPolicy(cc);
    Optional<NetworkPolicy> current =
        existing.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    Optional<NetworkPolicy> desired = NetworkPolicyFactory.policy(cc, client.getNamespace());
    var api = client.network().v1().networkPolicies().inNamespace(cc.getMetadata().getNamespace());
    if (desired.isEmpty()) {
      if (current.isPresent()) {
        api.withName(name).delete();
        LOG.info("deleted network policy {} (spec.networkPolicy.enabled is false)", name);
      }
      return;
    }
    if (current.isEmpty()) {
      createIgnoringConflict(client, desired.get());
    } else if (!Objects.equals(current.get().getSpec(), desired.get().getSpec())
        || !labelsCover(current.get(), desired.get())) {
      // a JSON Patch replaces the lists whole (a merge patch of lists is not reliable everywhere)
      List<Map<String, Object>> patch =
          List.of(
              Map.of(
                  "op",
                  "add",
                  "path",
                  "/metadata/labels",
                  "value",
                  desired.get().getMetadata().getLabels()),
              Map.of("op", "add", "path", "/spec", "value", desired.get().getSpec()));
      api.withName(name).patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
      LOG.info("updated network policy {}", name);
    }
  }

  private static boolean labelsCover(HasMetadata current, HasMetadata desired) {
    Map<String, String> have =
        Optional.ofNullable(current.getMetadata().getLabels()).orElse(Map.of());
    return have.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
  }

  /** Creates the object; one that exists already is left as it is (a pod's kept data claim). */
  static void createIfMissing(KubernetesClient client, HasMetadata desired) {
    createIgnoringConflict(client, desired);
  }

  private static void createIgnoringConflict(KubernetesClient client, HasMetadata desired) {
    try {
      client.resource(desired).create();
      LOG.info("created {} {}", desired.getKind(), desired.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Labels every pod kubechat.io/role=leader|follower; no label while roles are unknown. */
  static void labelRoles(
      KubernetesClient client,
      List<Pod> active,
      Map<String, PodStatusReport> reachable,
      LeaderView leader) {
    for (Pod p : active) {
      String name = p.getMetadata().getName();
      String want;
      if (leader.leader().map(name::equals).orElse(false)) {
        want = "leader";
      } else if (leader.elected()
          || Optional.ofNullable(reachable.get(name))
              .map(PodStatusReport::consensusEnabled)
              .orElse(false)) {
        want = "follower";
      } else {
        want = null;
      }
      String have =
          Optional.ofNullable(p.getMetadata().getLabels())
              .map(l -> l.get(Names.ROLE_LABEL))
              .orElse(null);
      if (!Objects.equals(want, have)) {
        Map<String, Object> labels = new HashMap<>();
        labels.put(Names.ROLE_LABEL, want);
        try {
          client
              .pods()
              .inNamespace(p.getMetadata().getNamespace())
              .withName(name)
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  Serialization.asJson(Map.of("metadata", Map.of("labels", labels))));
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
    }
  }
}
