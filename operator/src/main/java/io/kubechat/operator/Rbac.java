package io.kubechat.operator;

import java.util.List;

/**
 * Every Kubernetes API permission the operator's code uses, and nothing more. Packaging grants
 * exactly these; {@code ChatClusterControllerTest} checks them against the requests the operator
 * makes. (JOSDK also creates a SelfSubjectRulesReview before leading, which every authenticated
 * user may do through the default system:basic-user role.)
 */
public final class Rbac {
  private Rbac() {}

  /** One rule: API group ("" is core), resource (with subresource), verbs. */
  public record Rule(String apiGroup, String resource, List<String> verbs) {}

  public static final List<Rule> RULES =
      List.of(
          // informer; fabric8 reads the object before a patch of its status
          new Rule("kubechat.io", "chatclusters", List.of("get", "list", "watch")),
          new Rule("kubechat.io", "chatclusters/status", List.of("patch")),
          // informer; create; delete to replace, scale down, roll; patch for the role label
          new Rule("", "pods", List.of("get", "list", "watch", "create", "delete", "patch")),
          new Rule("", "services", List.of("get", "list", "watch", "create", "patch")),
          new Rule(
              "policy", "poddisruptionbudgets", List.of("get", "list", "watch", "create", "patch")),
          // one claim per pod when spec.storage is set; an existing claim is kept (409)
          new Rule("", "persistentvolumeclaims", List.of("create")),
          // informer; create; patch when it drifted; delete when spec.networkPolicy is disabled
          new Rule(
              "networking.k8s.io",
              "networkpolicies",
              List.of("get", "list", "watch", "create", "delete", "patch")),
          // the cluster CA and member certificate: informer; created once; the member one patched
          // when reissued (a new CA, or close to its end)
          new Rule("", "secrets", List.of("get", "list", "watch", "create", "patch")),
          new Rule("", "events", List.of("create")),
          // NodeLost rule (cluster-scoped)
          new Rule("", "nodes", List.of("list", "watch")),
          // leader election: fabric8 reads, creates and patches the Lease; JOSDK refuses to lead
          // unless get, create and update are granted
          new Rule("coordination.k8s.io", "leases", List.of("get", "create", "update", "patch")));
}
