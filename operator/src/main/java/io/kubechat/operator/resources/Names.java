package io.kubechat.operator.resources;

import io.kubechat.operator.crd.ChatCluster;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Names, labels and ports of everything the operator creates for a ChatCluster. */
public final class Names {
  public static final String APP = "kubechat";
  public static final String MANAGED_BY = "kubechat-operator";
  public static final String CLUSTER_LABEL = "kubechat.io/cluster";
  public static final String ROLE_LABEL = "kubechat.io/role";
  public static final String ORDINAL_LABEL = "kubechat.io/ordinal";
  public static final String SPEC_HASH_ANNOTATION = "kubechat.io/pod-spec-hash";
  public static final String BOOTSTRAP_ANNOTATION = "kubechat.io/bootstrap";
  public static final String CONTAINER = "chat";

  /** The client port: /ws and the chat page. */
  public static final int HTTP_PORT = 8080;

  /** The admin port: /healthz, /readyz, /status, /metrics, POST /admin/recover-quorum. */
  public static final int ADMIN_PORT = 9090;

  public static final int HAZELCAST_PORT = 5701;
  public static final int EVENTBUS_PORT = 5702;

  private Names() {}

  public static String headlessService(ChatCluster c) {
    return c.getMetadata().getName() + "-hl";
  }

  public static String clientService(ChatCluster c) {
    return c.getMetadata().getName();
  }

  public static String networkPolicy(ChatCluster c) {
    return c.getMetadata().getName() + "-pods";
  }

  /** The Secret with the cluster CA's certificate and key (the operator's only). */
  public static String clusterCaSecret(ChatCluster c) {
    return c.getMetadata().getName() + "-cluster-ca";
  }

  /** The Secret every pod mounts: ca.crt, tls.crt, tls.key (the member certificate). */
  public static String clusterTlsSecret(ChatCluster c) {
    return c.getMetadata().getName() + "-cluster-tls";
  }

  public static String pdb(ChatCluster c) {
    return c.getMetadata().getName();
  }

  /** The PersistentVolumeClaim of a pod's data directory (spec.storage). */
  public static String dataClaim(ChatCluster c, int ordinal) {
    return "data-" + pod(c, ordinal);
  }

  public static String pod(ChatCluster c, int ordinal) {
    return c.getMetadata().getName() + "-" + ordinal;
  }

  /** The ordinal of a pod of this cluster, empty when the name does not follow the pattern. */
  public static OptionalInt ordinal(ChatCluster c, String podName) {
    String prefix = c.getMetadata().getName() + "-";
    if (podName == null || !podName.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    String rest = podName.substring(prefix.length());
    if (rest.isEmpty() || rest.length() > 6 || !rest.chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(rest));
  }

  /** Labels that select exactly this cluster's pods. */
  public static Map<String, String> selector(ChatCluster c) {
    Map<String, String> m = new TreeMap<>();
    m.put("app.kubernetes.io/name", APP);
    m.put("app.kubernetes.io/instance", c.getMetadata().getName());
    return m;
  }

  /** The selector as a string, for status.selector (the scale subresource). */
  public static String selectorString(ChatCluster c) {
    StringBuilder sb = new StringBuilder();
    selector(c)
        .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  /** Standard labels of every object of the cluster. */
  public static Map<String, String> labels(ChatCluster c, String component) {
    Map<String, String> m = selector(c);
    m.put("app.kubernetes.io/component", component);
    m.put("app.kubernetes.io/part-of", APP);
    m.put("app.kubernetes.io/managed-by", MANAGED_BY);
    m.put(CLUSTER_LABEL, c.getMetadata().getName());
    Optional.ofNullable(c.getMetadata().getLabels())
        .map(l -> l.get("app.kubernetes.io/version"))
        .ifPresent(v -> m.put("app.kubernetes.io/version", v));
    return m;
  }
}
