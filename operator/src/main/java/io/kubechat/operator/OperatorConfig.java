package io.kubechat.operator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read from environment variables (see docs/operator.md). A bad value
 * fails the start with a message naming the variable.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param podImage chat pod image used when a ChatCluster does not name one
 * @param httpHost address of the /healthz /readyz /metrics server
 * @param httpPort its port (0 picks a free one)
 * @param leaderElection whether to take a Lease before reconciling
 * @param leaseName the Lease's name
 * @param leaseNamespace the Lease's namespace; empty means the operator's own namespace
 * @param pollInterval how often every pod's /status is polled
 * @param pollTimeout timeout of one /status poll
 * @param resync how often every ChatCluster is reconciled even without events
 * @param clusterDomain the Kubernetes cluster DNS domain
 * @param reconcileThreads concurrent reconciliations
 * @param exitOnLostLease exit the process when the Lease is lost (a restarted pod competes again);
 *     false only when embedded, in tests
 */
public record OperatorConfig(
    Set<String> namespaces,
    String podImage,
    String httpHost,
    int httpPort,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    Duration pollInterval,
    Duration pollTimeout,
    Duration resync,
    String clusterDomain,
    int reconcileThreads,
    boolean exitOnLostLease) {

  /** Every variable the operator reads, with its default, for --help and the docs. */
  public static final Map<String, String> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("KUBECHAT_OPERATOR_NAMESPACES", "(empty: all namespaces)");
    VARIABLES.put("KUBECHAT_OPERATOR_POD_IMAGE", "kubechat/chat-pod:" + version());
    VARIABLES.put("KUBECHAT_OPERATOR_HTTP_HOST", "0.0.0.0");
    VARIABLES.put("KUBECHAT_OPERATOR_HTTP_PORT", "8080");
    VARIABLES.put("KUBECHAT_OPERATOR_LEADER_ELECTION", "true");
    VARIABLES.put("KUBECHAT_OPERATOR_LEASE_NAME", "kubechat-operator");
    VARIABLES.put("KUBECHAT_OPERATOR_LEASE_NAMESPACE", "(empty: the operator's namespace)");
    VARIABLES.put("KUBECHAT_OPERATOR_POLL_INTERVAL_MS", "3000");
    VARIABLES.put("KUBECHAT_OPERATOR_POLL_TIMEOUT_MS", "1000");
    VARIABLES.put("KUBECHAT_OPERATOR_RESYNC_SECONDS", "10");
    VARIABLES.put("KUBECHAT_OPERATOR_CLUSTER_DOMAIN", "cluster.local");
    VARIABLES.put("KUBECHAT_OPERATOR_RECONCILE_THREADS", "4");
    VARIABLES.put("KUBECHAT_OPERATOR_LOG_FORMAT", "text (or json)");
  }

  public static OperatorConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static OperatorConfig from(Map<String, String> env) {
    Function<String, String> get =
        k ->
            Optional.ofNullable(env.get(k))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .orElse(null);
    return new OperatorConfig(
        Optional.ofNullable(get.apply("KUBECHAT_OPERATOR_NAMESPACES"))
            .map(
                s ->
                    Arrays.stream(s.split(","))
                        .map(String::trim)
                        .filter(n -> !n.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
            .orElse(Set.of()),
        orDefault(get, "KUBECHAT_OPERATOR_POD_IMAGE", "kubechat/chat-pod:" + version()),
        orDefault(get, "KUBECHAT_OPERATOR_HTTP_HOST", "0.0.0.0"),
        intVar(get, "KUBECHAT_OPERATOR_HTTP_PORT", 8080, 0, 65535),
        boolVar(get, "KUBECHAT_OPERATOR_LEADER_ELECTION", true),
        orDefault(get, "KUBECHAT_OPERATOR_LEASE_NAME", "kubechat-operator"),
        Optional.ofNullable(get.apply("KUBECHAT_OPERATOR_LEASE_NAMESPACE")),
        Duration.ofMillis(intVar(get, "KUBECHAT_OPERATOR_POLL_INTERVAL_MS", 3000, 100, 600_000)),
        Duration.ofMillis(intVar(get, "KUBECHAT_OPERATOR_POLL_TIMEOUT_MS", 1000, 50, 60_000)),
        Duration.ofSeconds(intVar(get, "KUBECHAT_OPERATOR_RESYNC_SECONDS", 10, 1, 3600)),
        orDefault(get, "KUBECHAT_OPERATOR_CLUSTER_DOMAIN", "cluster.local"),
        intVar(get, "KUBECHAT_OPERATOR_RECONCILE_THREADS", 4, 1, 64),
        true);
  }

  public OperatorConfig withHttp(String host, int port) {
    return new OperatorConfig(
        namespaces,
        podImage,
        host,
        port,
        leaderElection,
        leaseName,
        leaseNamespace,
        pollInterval,
        pollTimeout,
        resync,
        clusterDomain,
        reconcileThreads,
        exitOnLostLease);
  }

  public OperatorConfig withLeaderElection(boolean enabled) {
    return new OperatorConfig(
        namespaces,
        podImage,
        httpHost,
        httpPort,
        enabled,
        leaseName,
        leaseNamespace,
        pollInterval,
        pollTimeout,
        resync,
        clusterDomain,
        reconcileThreads,
        exitOnLostLease);
  }

  public OperatorConfig withTimings(Duration pollInterval, Duration resync) {
    return new OperatorConfig(
        namespaces,
        podImage,
        httpHost,
        httpPort,
        leaderElection,
        leaseName,
        leaseNamespace,
        pollInterval,
        pollTimeout,
        resync,
        clusterDomain,
        reconcileThreads,
        exitOnLostLease);
  }

  public OperatorConfig embedded() {
    return new OperatorConfig(
        namespaces,
        podImage,
        httpHost,
        httpPort,
        leaderElection,
        leaseName,
        leaseNamespace,
        pollInterval,
        pollTimeout,
        resync,
        clusterDomain,
        reconcileThreads,
        false);
  }

  /** The namespace the operator runs in, when it runs in a pod. */
  public static Optional<String> inClusterNamespace() {
    Path p = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    try {
      return Files.isReadable(p) ? Optional.of(Files.readString(p).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The build's version, from a resource Maven filters. */
  public static String version() {
    try (InputStream in =
        OperatorConfig.class.getResourceAsStream("/kubechat-operator.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "latest");
    } catch (IOException e) {
      return "latest";
    }
  }

  private static String orDefault(Function<String, String> get, String name, String def) {
    String v = get.apply(name);
    return v == null ? def : v;
  }

  private static int intVar(Function<String, String> get, String name, int def, int min, int max) {
    String v = get.apply(name);
    if (v == null) {
      return def;
    }
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw new IllegalArgumentException(
            name + "=" + v + " is out of range; expected " + min + ".." + max);
      }
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not an integer", e);
    }
  }

  private static boolean boolVar(Function<String, String> get, String name, boolean def) {
    String v = get.apply(name);
    if (v == null) {
      return def;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + "=" + v + " must be true or false");
    };
  }
}
