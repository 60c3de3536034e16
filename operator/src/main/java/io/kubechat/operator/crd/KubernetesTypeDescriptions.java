package io.kubechat.operator.crd;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Descriptions that {@code @JsonPropertyDescription} cannot give: of the ChatCluster, of spec and
 * status themselves (inherited from CustomResource) and of the fields of embedded Kubernetes types
 * (ResourceRequirements, Affinity, Toleration, NetworkPolicyPeer, Condition), whose fabric8 classes
 * carry none. fabric8's crd-generator applies it to the finished ChatCluster schema through
 * {@code @SchemaCustomizer} on {@link ChatCluster}; a field that already has a description keeps
 * it. The texts follow the Kubernetes API reference, shortened to one sentence. CrdDescriptionsTest
 * fails on any field left without one, e.g. after a fabric8 upgrade adds fields.
 */
public class KubernetesTypeDescriptions implements SchemaCustomizer.Customizer {

  /** Descriptions of an object's fields, and the types of those that are objects themselves. */
  static final class Type {
    final Map<String, String> descriptions = new LinkedHashMap<>();
    final Map<String, Type> types = new LinkedHashMap<>();

    Type field(String name, String description) {
      return field(name, description, null);
    }

    Type field(String name, String description, Type type) {
      descriptions.put(name, description);
      if (type != null) {
        types.put(name, type);
      }
      return this;
    }
  }

  static final Type LABEL_SELECTOR_REQUIREMENT =
      new Type()
          .field("key", "Label key the requirement applies to.")
          .field("operator", "In, NotIn, Exists or DoesNotExist.")
          .field(
              "values",
              "Label values; at least one for In and NotIn, none for Exists and DoesNotExist.");

  static final Type LABEL_SELECTOR =
      new Type()
          .field(
              "matchExpressions",
              "Label requirements, all of which must hold.",
              LABEL_SELECTOR_REQUIREMENT)
          .field(
              "matchLabels",
              "Labels with exactly these values, ANDed with matchExpressions; an empty selector"
                  + " matches everything.");

  static final Type NODE_SELECTOR_REQUIREMENT =
      new Type()
          .field(
              "key", "Node label key (or, in matchFields, node field) the requirement applies to.")
          .field("operator", "In, NotIn, Exists, DoesNotExist, Gt or Lt.")
          .field(
              "values",
              "Values; at least one for In and NotIn, none for Exists and DoesNotExist, one integer"
                  + " for Gt and Lt.");

  static final Type NODE_SELECTOR_TERM =
      new Type()
          .field(
              "matchExpressions",
              "Requirements on node labels, all of which must hold.",
              NODE_SELECTOR_REQUIREMENT)
          .field(
              "matchFields",
              "Requirements on node fields (metadata.name), all of which must hold.",
              NODE_SELECTOR_REQUIREMENT);

  static final Type NODE_AFFINITY =
      new Type()
          .field(
              "preferredDuringSchedulingIgnoredDuringExecution",
              "Weighted node selector terms the scheduler prefers: it favours the nodes with the"
                  + " highest sum of weights of the terms they match.",
              new Type()
                  .field("preference", "The node selector term.", NODE_SELECTOR_TERM)
                  .field("weight", "Weight of matching the term, 1 to 100."))
          .field(
              "requiredDuringSchedulingIgnoredDuringExecution",
              "Node selector terms of which a node must match at least one for a pod to be"
                  + " scheduled there (not enforced on pods already running).",
              new Type()
                  .field(
                      "nodeSelectorTerms",
                      "The terms, ORed: a node matches when it matches any of them.",
                      NODE_SELECTOR_TERM));

  static final Type POD_AFFINITY_TERM =
      new Type()
          .field("labelSelector", "Selects the pods this term is about.", LABEL_SELECTOR)
          .field(
              "matchLabelKeys",
              "Label keys whose values in the incoming pod are added to labelSelector as"
                  + " key in (value).")
          .field(
              "mismatchLabelKeys",
              "Label keys whose values in the incoming pod are added to labelSelector as"
                  + " key notin (value).")
          .field(
              "namespaceSelector",
              "Namespaces, by label, whose pods the term considers, besides those in namespaces;"
                  + " {} selects all namespaces, unset (with no namespaces) the pod's own.",
              LABEL_SELECTOR)
          .field(
              "namespaces",
              "Namespaces whose pods the term considers, besides those of namespaceSelector;"
                  + " unset (with no namespaceSelector) means the pod's own namespace.")
          .field(
              "topologyKey",
              "Node label key, such as kubernetes.io/hostname, whose value defines co-location:"
                  + " nodes with the same value count as one place.");

  static Type podAffinity(String what) {
    return new Type()
        .field(
            "preferredDuringSchedulingIgnoredDuringExecution",
            "Weighted "
                + what
                + " terms the scheduler prefers: it favours the nodes with the highest sum of"
                + " weights of the terms they satisfy.",
            new Type()
                .field("podAffinityTerm", "The " + what + " term.", POD_AFFINITY_TERM)
                .field("weight", "Weight of satisfying the term, 1 to 100."))
        .field(
            "requiredDuringSchedulingIgnoredDuringExecution",
            Character.toUpperCase(what.charAt(0))
                + what.substring(1)
                + " terms that must all hold for a pod to be scheduled onto a node (not enforced"
                + " on pods already running).",
            POD_AFFINITY_TERM);
  }

  static final Type AFFINITY =
      new Type()
          .field("nodeAffinity", "Rules for the nodes the pods may run on.", NODE_AFFINITY)
          .field(
              "podAffinity",
              "Rules to put the pods in the same place (topologyKey) as other pods.",
              podAffinity("pod affinity"))
          .field(
              "podAntiAffinity",
              "Rules to keep the pods away from other pods; unless spec.antiAffinity is none, the"
                  + " operator adds a term on kubernetes.io/hostname for the pods of this"
                  + " ChatCluster.",
              podAffinity("pod anti-affinity"));

  static final Type TOLERATION =
      new Type()
          .field(
              "effect",
              "Taint effect to tolerate: NoSchedule, PreferNoSchedule or NoExecute; empty means"
                  + " all effects.")
          .field("key", "Taint key to tolerate; empty, with operator Exists, means all taints.")
          .field(
              "operator",
              "Exists (any value of the key) or Equal (the value must match); Equal when unset.")
          .field(
              "tolerationSeconds",
              "For effect NoExecute: seconds the pod stays on a node after the taint appears;"
                  + " unset means forever.")
          .field("value", "Taint value to tolerate with operator Equal; empty with Exists.");

  static final Type RESOURCE_REQUIREMENTS =
      new Type()
          .field(
              "claims",
              "Resource claims of the pod (spec.resourceClaims, dynamic resource allocation)"
                  + " that the container uses; the operator sets no pod resource claims.",
              new Type()
                  .field("name", "Name of an entry of the pod's spec.resourceClaims.")
                  .field(
                      "request", "Name of one request of that claim; empty means the whole claim."))
          .field(
              "limits",
              "Most of each compute resource (cpu, memory) the container may use, such as"
                  + " memory: 1Gi.")
          .field(
              "requests",
              "Compute resources (cpu, memory) the scheduler reserves for the container; a"
                  + " resource with only a limit requests the limit.");

  static final Type NETWORK_POLICY_PEER =
      new Type()
          .field(
              "ipBlock",
              "IP range that may connect; not combined with podSelector or namespaceSelector.",
              new Type()
                  .field("cidr", "The range in CIDR notation, such as 10.0.0.0/8 or 2001:db8::/64.")
                  .field("except", "CIDR ranges inside cidr that may not connect."))
          .field(
              "namespaceSelector",
              "Namespaces, by label, whose pods may connect (with podSelector: only those pods"
                  + " of them); {} selects all namespaces.",
              LABEL_SELECTOR)
          .field(
              "podSelector",
              "Pods, by label, that may connect: of the ChatCluster's namespace, or of the"
                  + " namespaces of namespaceSelector; {} selects all pods.",
              LABEL_SELECTOR);

  static final Type CONDITION =
      new Type()
          .field(
              "lastTransitionTime",
              "When (RFC 3339) the condition last changed status; unchanged while it stays.")
          .field("message", "What the operator observed, in words.")
          .field("observedGeneration", "metadata.generation of the spec the condition was set for.")
          .field("reason", "Why the condition has this status, one CamelCase word.")
          .field("status", "True or False.")
          .field(
              "type",
              "Ready, LeaderElected, Degraded, EvenReplicas, QuorumRecovered or ReconcileSuccess.");

  static final Type ROOT =
      new Type()
          .field(
              "spec",
              "Desired state of the chat cluster: pods, their image and resources, the chat pods'"
                  + " settings, storage, the client Service, the NetworkPolicy and scheduling.",
              new Type()
                  .field("resources", null, RESOURCE_REQUIREMENTS)
                  .field(
                      "podTemplate",
                      null,
                      new Type()
                          .field("affinity", null, AFFINITY)
                          .field("tolerations", null, TOLERATION))
                  .field(
                      "networkPolicy",
                      null,
                      new Type()
                          .field("clientFrom", null, NETWORK_POLICY_PEER)
                          .field("adminFrom", null, NETWORK_POLICY_PEER)))
          .field(
              "status",
              "Observed state of the chat cluster, written by the operator only: phase, leader,"
                  + " ready pods, one entry per pod and conditions.",
              new Type().field("conditions", null, CONDITION));

  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      schema.setDescription(
          "A cluster of kubechat chat pods, kept by the kubechat operator: pods, Services,"
              + " PodDisruptionBudget, NetworkPolicy and claims, and their status.");
    }
    describe(schema, ROOT);
    return schema;
  }

  static void describe(JSONSchemaProps schema, Type type) {
    JSONSchemaProps object = schema;
    while (object.getProperties() == null || object.getProperties().isEmpty()) {
      if (object.getItems() != null && object.getItems().getSchema() != null) {
        object = object.getItems().getSchema();
      } else if (object.getAdditionalProperties() != null
          && object.getAdditionalProperties().getSchema() != null) {
        object = object.getAdditionalProperties().getSchema();
      } else {
        return;
      }
    }
    for (Map.Entry<String, String> e : type.descriptions.entrySet()) {
      JSONSchemaProps field = object.getProperties().get(e.getKey());
      if (field == null) {
        continue;
      }
      if (e.getValue() != null
          && (field.getDescription() == null || field.getDescription().isBlank())) {
        field.setDescription(e.getValue());
      }
      Type t = type.types.get(e.getKey());
      if (t != null) {
        describe(field, t);
      }
    }
  }
}
