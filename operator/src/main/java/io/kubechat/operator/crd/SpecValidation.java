package io.kubechat.operator.crd;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks what the CRD schema cannot: relations between fields, names the operator derives from the
 * ChatCluster's name, and reserved keys. The schema's own rules are checked again because objects
 * may reach the operator without an API server's validation (old objects, tests).
 */
public final class SpecValidation {
  /** Longest name: room for "-hl" on the headless Service and "-NNNNN" on pods within 63. */
  public static final int MAX_NAME_LENGTH = 52;

  // The chat pod's defaults (docs/configuration.md), for relations with unset fields.
  static final int POD_HEARTBEAT_INTERVAL_MS = 500;
  static final int POD_HEARTBEAT_TIMEOUT_MS = 2000;
  static final double POD_RAFT_PERIOD_S = 0.25;
  static final double POD_RAFT_TIMEOUT_S = 1;
  static final int POD_MAX_FRAME_BYTES = 65536;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern CIDR =
      Pattern.compile("([0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9a-fA-F:]+/[0-9]{1,3})");
  private static final Pattern QUANTITY =
      Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private SpecValidation() {}

  /** The problems, each a sentence naming the field; empty when the spec is valid. */
  public static List<String> validate(ChatCluster c) {
    List<String> p = new ArrayList<>();
    String name = c.getMetadata().getName();
    if (name == null || !DNS_LABEL.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
      p.add(
          "metadata.name '"
              + name
              + "' must be a DNS label (lower case letters, digits, '-',"
              + " starting with a letter) of at most "
              + MAX_NAME_LENGTH
              + " characters, because pods and Services are named after it");
    }
    ChatClusterSpec s = c.getSpec();
    if (s == null) {
      p.add("spec is missing");
      return p;
    }
    if (s.getReplicas() == null
        || s.getReplicas() < 1
        || s.getReplicas() > ChatClusterSpec.MAX_REPLICAS) {
      p.add(
          "spec.replicas must be between 1 and "
              + ChatClusterSpec.MAX_REPLICAS
              + " (is "
              + s.getReplicas()
              + ")");
    }
    if (s.getImage() != null
        && (s.getImage().isBlank() || s.getImage().chars().anyMatch(Character::isWhitespace))) {
      p.add("spec.image '" + s.getImage() + "' is not a valid image reference");
    }
    HeartbeatSpec hb = s.getHeartbeat();
    if (hb != null) {
      range(p, "spec.heartbeat.intervalMillis", hb.getIntervalMillis(), 50, 60_000);
      range(p, "spec.heartbeat.timeoutMillis", hb.getTimeoutMillis(), 50, 600_000);
      int interval =
          hb.getIntervalMillis() == null ? POD_HEARTBEAT_INTERVAL_MS : hb.getIntervalMillis();
      int timeout =
          hb.getTimeoutMillis() == null ? POD_HEARTBEAT_TIMEOUT_MS : hb.getTimeoutMillis();
      if (timeout <= interval) {
        p.add(
            "spec.heartbeat.timeoutMillis ("
                + timeout
                + (hb.getTimeoutMillis() == null ? ", the pod's default" : "")
                + ") must be greater than spec.heartbeat.intervalMillis ("
                + interval
                + (hb.getIntervalMillis() == null ? ", the pod's default" : "")
                + "), or every member would look SUSPECT between two heartbeats");
      }
    }
    RaftSpec r = s.getRaft();
    if (r != null) {
      seconds(p, "spec.raft.heartbeatPeriodSeconds", r.getHeartbeatPeriodSeconds(), 0.05, 60);
      seconds(p, "spec.raft.heartbeatTimeoutSeconds", r.getHeartbeatTimeoutSeconds(), 0.1, 300);
      range(p, "spec.raft.electionTimeoutMillis", r.getElectionTimeoutMillis(), 100, 60000);
      range(
          p, "spec.raft.memberRemovalTimeoutSeconds", r.getMemberRemovalTimeoutSeconds(), 1, 86400);
      double period =
          r.getHeartbeatPeriodSeconds() == null ? POD_RAFT_PERIOD_S : r.getHeartbeatPeriodSeconds();
      double timeout =
          r.getHeartbeatTimeoutSeconds() == null
              ? POD_RAFT_TIMEOUT_S
              : r.getHeartbeatTimeoutSeconds();
      if (timeout <= period) {
        p.add(
            "spec.raft.heartbeatTimeoutSeconds ("
                + timeout
                + (r.getHeartbeatTimeoutSeconds() == null ? ", the pod's default" : "")
                + ") must be greater than spec.raft.heartbeatPeriodSeconds ("
                + period
                + (r.getHeartbeatPeriodSeconds() == null ? ", the pod's default" : "")
                + "), or followers would keep electing");
      }
    }
    ClientSpec cl = s.getClient();
    if (cl != null) {
      range(p, "spec.client.idleTimeoutSeconds", cl.getIdleTimeoutSeconds(), 1, 3600);
      range(p, "spec.client.maxFrameBytes", cl.getMaxFrameBytes(), 256, 16_777_216);
    }
    int frame =
        cl == null || cl.getMaxFrameBytes() == null ? POD_MAX_FRAME_BYTES : cl.getMaxFrameBytes();
    if (s.getMaxMessageBytes() != null && s.getMaxMessageBytes() > frame) {
      p.add(
          "spec.maxMessageBytes ("
              + s.getMaxMessageBytes()
              + ") must not exceed spec.client.maxFrameBytes ("
              + frame
              + (cl == null || cl.getMaxFrameBytes() == null ? ", the pod's default" : "")
              + "): a message travels inside one frame");
    }
    range(p, "spec.historyLimit", s.getHistoryLimit(), 1, 1_000_000);
    range(p, "spec.maxMessageBytes", s.getMaxMessageBytes(), 1, 16_777_216);
    range(p, "spec.shutdownGraceSeconds", s.getShutdownGraceSeconds(), 1, 300);
    ClientServiceSpec svc = s.getService();
    if (svc != null && svc.getPort() != null && (svc.getPort() < 1 || svc.getPort() > 65535)) {
      p.add("spec.service.port must be between 1 and 65535 (is " + svc.getPort() + ")");
    }
    FailurePolicy fp = s.getFailurePolicy();
    if (fp != null) {
      min(p, "spec.failurePolicy.unhealthyAfterSeconds", fp.getUnhealthyAfterSeconds(), 5);
      min(p, "spec.failurePolicy.maxConcurrentReplacements", fp.getMaxConcurrentReplacements(), 1);
    }
    StorageSpec st = s.getStorage();
    if (st != null) {
      if (st.getSize() == null || !QUANTITY.matcher(st.getSize()).matches()) {
        p.add(
            "spec.storage.size '"
                + st.getSize()
                + "' must be a storage quantity such as 1Gi or 500Mi");
      } else if (Quantity.getAmountInBytes(new Quantity(st.getSize())).signum() <= 0) {
        p.add("spec.storage.size must be greater than 0 (is " + st.getSize() + ")");
      }
      if (st.getStorageClassName() != null
          && !DNS_SUBDOMAIN.matcher(st.getStorageClassName()).matches()) {
        p.add(
            "spec.storage.storageClassName '"
                + st.getStorageClassName()
                + "' must be a DNS subdomain (lower case letters, digits, '-' and '.')");
      }
    }
    NetworkPolicySpec np = s.getNetworkPolicy();
    if (np != null) {
      peers(p, "spec.networkPolicy.clientFrom", np.getClientFrom());
      peers(p, "spec.networkPolicy.adminFrom", np.getAdminFrom());
    }
    auth(p, s.getAuth());
    ChatPodTemplate t = s.getPodTemplate();
    if (t != null) {
      reserved(p, "spec.podTemplate.labels", t.getLabels());
      reserved(p, "spec.podTemplate.annotations", t.getAnnotations());
    }
    return p;
  }

  private static void peers(List<String> p, String field, List<NetworkPolicyPeer> peers) {
    if (peers == null) {
      return;
    }
    for (int i = 0; i < peers.size(); i++) {
      var peer = peers.get(i);
      if (peer == null
          || (peer.getPodSelector() == null
              && peer.getNamespaceSelector() == null
              && peer.getIpBlock() == null)) {
        p.add(field + "[" + i + "] must set podSelector, namespaceSelector or ipBlock");
      } else if (peer.getIpBlock() != null
          && (peer.getPodSelector() != null || peer.getNamespaceSelector() != null)) {
        p.add(field + "[" + i + "] must not combine ipBlock with podSelector or namespaceSelector");
      } else if (peer.getIpBlock() != null
          && (peer.getIpBlock().getCidr() == null
              || !CIDR.matcher(peer.getIpBlock().getCidr()).matches())) {
        p.add(
            field
                + "["
                + i
                + "].ipBlock.cidr '"
                + peer.getIpBlock().getCidr()
                + "' must be a CIDR such as 10.0.0.0/8");
      }
    }
  }

  /** A jwt mode needs a key source; names and keys must be valid Kubernetes names. */
  private static void auth(List<String> p, AuthSpec a) {
    if (a == null) {
      return;
    }
    if (a.getMode() != AuthMode.none && a.getSecret() == null && a.getJwksConfigMap() == null) {
      p.add(
          "spec.auth.mode jwt needs a key to verify client tokens with: spec.auth.secret (a Secret"
              + " with an HMAC secret or a PEM public key) or spec.auth.jwksConfigMap (a ConfigMap"
              + " with a JWKS document); or set spec.auth.mode none for development");
    }
    reference(p, "spec.auth.secret", a.getSecret());
    reference(p, "spec.auth.jwksConfigMap", a.getJwksConfigMap());
    range(p, "spec.auth.clockSkewSeconds", a.getClockSkewSeconds(), 0, 600);
    range(p, "spec.auth.reauthGraceSeconds", a.getReauthGraceSeconds(), 1, 3600);
    if (a.getGroupsClaim() != null && !CLAIM.matcher(a.getGroupsClaim()).matches()) {
      p.add("spec.auth.groupsClaim '" + a.getGroupsClaim() + "' must match " + CLAIM.pattern());
    }
  }

  private static void reference(List<String> p, String field, KeyReference r) {
    if (r == null) {
      return;
    }
    if (r.getName() == null || !DNS_SUBDOMAIN.matcher(r.getName()).matches()) {
      p.add(field + ".name '" + r.getName() + "' must be a DNS subdomain name");
    }
    if (r.getKey() != null && !DATA_KEY.matcher(r.getKey()).matches()) {
      p.add(field + ".key '" + r.getKey() + "' must be a key of [-._a-zA-Z0-9]+");
    }
  }

  private static void min(List<String> p, String field, Integer v, int min) {
    if (v != null && v < min) {
      p.add(field + " must be at least " + min + " (is " + v + ")");
    }
  }

  private static void range(List<String> p, String field, Integer v, int min, int max) {
    if (v != null && (v < min || v > max)) {
      p.add(field + " must be between " + min + " and " + max + " (is " + v + ")");
    }
  }

  /** Seconds in steps of 0.05, as the chat pod reads them. */
  private static void seconds(List<String> p, String field, Double v, double min, double max) {
    if (v == null) {
      return;
    }
    double steps = v / 0.05;
    if (v < min || v > max || Math.abs(steps - Math.rint(steps)) > 1e-6) {
      p.add(field + " must be between " + min + " and " + max + " in steps of 0.05 (is " + v + ")");
    }
  }

  private static void reserved(List<String> p, String field, Map<String, String> m) {
    if (m == null) {
      return;
    }
    m.keySet().stream()
        .filter(k -> k.startsWith("app.kubernetes.io/") || k.startsWith("kubechat.io/"))
        .sorted()
        .forEach(k -> p.add(field + " must not set '" + k + "': the operator owns that key"));
  }
}
