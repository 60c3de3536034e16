package io.kubechat.pod.config;

import io.kubechat.pod.auth.AuthConfig;
import io.kubechat.pod.auth.AuthEnv;
import io.kubechat.pod.config.PodConfig.Discovery;
import io.kubechat.pod.eventbus.ClusterTls;
import io.kubechat.pod.http.ClientTls;
import io.kubechat.pod.raft.RaftEnv;
import io.kubechat.pod.raft.RaftSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates every {@code KUBECHAT_*} variable; the first invalid one stops the pod with a
 * {@link ConfigException} naming it. {@link #SETTINGS} is the single list that both the loader and
 * {@code --help} use, so the help can never miss a variable.
 */
public final class EnvConfigLoader {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  public static final String NODE_NAME = "KUBECHAT_NODE_NAME";
  public static final String POD_IP = "KUBECHAT_POD_IP";
  public static final String CLUSTER_NAME = "KUBECHAT_CLUSTER_NAME";
  public static final String DISCOVERY = "KUBECHAT_DISCOVERY";
  public static final String CLUSTER_SERVICE = "KUBECHAT_CLUSTER_SERVICE";
  public static final String STATIC_MEMBERS = "KUBECHAT_STATIC_MEMBERS";
  public static final String HTTP_HOST = "KUBECHAT_HTTP_HOST";
  public static final String HTTP_PORT = "KUBECHAT_HTTP_PORT";
  public static final String HAZELCAST_PORT = "KUBECHAT_HAZELCAST_PORT";
  public static final String EVENTBUS_PORT = "KUBECHAT_EVENTBUS_PORT";
  public static final String HEARTBEAT_INTERVAL_MS = "KUBECHAT_HEARTBEAT_INTERVAL_MS";
  public static final String HEARTBEAT_TIMEOUT_MS = "KUBECHAT_HEARTBEAT_TIMEOUT_MS";
  public static final String CLIENT_IDLE_TIMEOUT_S = "KUBECHAT_CLIENT_IDLE_TIMEOUT_S";
  public static final String MAX_FRAME_BYTES = "KUBECHAT_MAX_FRAME_BYTES";
  public static final String MAX_TEXT_BYTES = "KUBECHAT_MAX_TEXT_BYTES";
  public static final String MAX_GROUPS_PER_CLIENT = "KUBECHAT_MAX_GROUPS_PER_CLIENT";
  public static final String OUTBOUND_QUEUE_FRAMES = "KUBECHAT_OUTBOUND_QUEUE_FRAMES";
  public static final String RATE_LIMIT_PER_S = "KUBECHAT_RATE_LIMIT_PER_S";
  public static final String SHUTDOWN_GRACE_S = "KUBECHAT_SHUTDOWN_GRACE_S";
  public static final String READY_GRACE_MS = "KUBECHAT_READY_GRACE_MS";
  public static final String MOVE_CLIENTS_AFTER_MS = "KUBECHAT_MOVE_CLIENTS_AFTER_MS";
  public static final String LOG_LEVEL = "KUBECHAT_LOG_LEVEL";
  public static final String DATA_DIR = "KUBECHAT_DATA_DIR";
  public static final String POD_UID = "KUBECHAT_POD_UID";
  public static final String ADMIN_PORT = "KUBECHAT_ADMIN_PORT";
  public static final String HTTP_IDLE_TIMEOUT_S = "KUBECHAT_HTTP_IDLE_TIMEOUT_S";
  public static final String HTTP_HEADER_TIMEOUT_S = "KUBECHAT_HTTP_HEADER_TIMEOUT_S";
  public static final String MAX_CONNECTIONS = "KUBECHAT_MAX_CONNECTIONS";
  public static final String CLUSTER_TLS_DIR = "KUBECHAT_CLUSTER_TLS_DIR";
  public static final String CLIENT_TLS_DIR = "KUBECHAT_CLIENT_TLS_DIR";
  public static final String CLIENT_TLS_RELOAD_S = "KUBECHAT_CLIENT_TLS_RELOAD_S";
  public static final String EVENTBUS_MAX_FRAME_BYTES = "KUBECHAT_EVENTBUS_MAX_FRAME_BYTES";
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public static final List<Setting> SETTINGS =
      Stream.concat(
              Stream.of(
                  new Setting(
                      NODE_NAME,
                      "$HOSTNAME, else pod-<KUBECHAT_POD_IP>",
                      "[A-Za-z0-9._-]{1,64}",
                      "this pod's name in the cluster (unique per cluster; stable across"
                          + " restarts)"),
                  new Setting(
                      POD_IP,
                      "127.0.0.1",
                      "IPv4 address",
                      "address to bind and publish Hazelcast, the event bus and HTTP on"),
                  new Setting(
                      CLUSTER_NAME,
                      "kubechat",
                      "[A-Za-z0-9._-]{1,64}",
                      "Hazelcast cluster name (the ChatCluster's name): pods with other names never"
                          + " merge"),
                  new Setting(DISCOVERY, "static", "static | kubernetes", "how peers are found"),
                  new Setting(
                      CLUSTER_SERVICE,
                      "(none; required for kubernetes)",
                      "DNS name",
                      "headless Service resolved by Hazelcast's Kubernetes DNS discovery"),
                  new Setting(
                      STATIC_MEMBERS,
                      "KUBECHAT_POD_IP",
                      "comma-separated ip or ip:port",
                      "peers to join in static discovery (port defaults to"
                          + " KUBECHAT_HAZELCAST_PORT)"),
                  new Setting(
                      HTTP_HOST,
                      "KUBECHAT_POD_IP (static), 0.0.0.0 (kubernetes)",
                      "IPv4 address",
                      "address the client and admin HTTP servers listen on (kubernetes: all, so"
                          + " probes and port-forward work)"),
                  new Setting(
                      HTTP_PORT, "8080", "1-65535", "client HTTP port: /ws and the chat page /"),
                  new Setting(
                      ADMIN_PORT,
                      "9090",
                      "1-65535",
                      "admin HTTP port: /healthz, /readyz, /status, /metrics, POST"
                          + " /admin/recover-quorum (not for clients: keep it off the client"
                          + " Service)"),
                  new Setting(
                      HTTP_IDLE_TIMEOUT_S,
                      "60",
                      "1-3600",
                      "an HTTP connection (not a WebSocket) that waits this long for its next"
                          + " request is closed"),
                  new Setting(
                      HTTP_HEADER_TIMEOUT_S,
                      "10",
                      "1-300",
                      "a connection that has not completed its request head (HTTP request or"
                          + " WebSocket upgrade) within this time is closed (slowloris)"),
                  new Setting(
                      MAX_CONNECTIONS,
                      "10000",
                      "1-1000000",
                      "open connections the client port accepts; more are answered 503"
                          + " TOO_MANY_CONNECTIONS and closed"),
                  new Setting(
                      CLIENT_TLS_DIR,
                      "(none: plain HTTP and ws://)",
                      "absolute directory path",
                      "directory with tls.crt and tls.key (PEM, optional ca.crt: a"
                          + " cert-manager/kubernetes.io/tls Secret): the client port serves"
                          + " https and wss:// (TLS 1.2+); the admin port stays plain"),
                  new Setting(
                      CLIENT_TLS_RELOAD_S,
                      "60",
                      "1-86400",
                      "how often the client TLS directory is read again; a changed certificate"
                          + " and key serve new connections without a restart"),
                  new Setting(
                      HAZELCAST_PORT,
                      "5701",
                      "1-65535",
                      "Hazelcast member port (no auto-increment)"),
                  new Setting(EVENTBUS_PORT, "5702", "1-65535", "clustered event bus port"),
                  new Setting(HEARTBEAT_INTERVAL_MS, "500", "50-60000", "pod heartbeat period"),
                  new Setting(
                      HEARTBEAT_TIMEOUT_MS,
                      "2000",
                      "> interval, up to 600000",
                      "silence after which a peer is SUSPECT; DEAD after 3 x this"),
                  new Setting(
                      CLIENT_IDLE_TIMEOUT_S,
                      "30",
                      "1-3600",
                      "a client silent this long is closed (4003) and removed from its groups"),
                  new Setting(
                      MAX_FRAME_BYTES,
                      "65536",
                      "256-16777216",
                      "largest accepted WebSocket text frame"),
                  new Setting(
                      MAX_TEXT_BYTES,
                      "8192",
                      "1-KUBECHAT_MAX_FRAME_BYTES",
                      "largest message text (UTF-8 bytes)"),
                  new Setting(
                      MAX_GROUPS_PER_CLIENT, "100", "1-10000", "groups one connection may join"),
                  new Setting(
                      OUTBOUND_QUEUE_FRAMES,
                      "256",
                      "1-100000",
                      "frames queued for a client beyond the socket's buffer before it is closed"
                          + " 4002 SLOW_CONSUMER"),
                  new Setting(
                      RATE_LIMIT_PER_S,
                      "50",
                      "1-100000",
                      "frames per second per connection (bursts of 2x allowed); over it:"
                          + " RATE_LIMITED, sustained: 4004"),
                  new Setting(
                      SHUTDOWN_GRACE_S,
                      "10",
                      "1-300",
                      "the pod exits within this many seconds of SIGTERM"),
                  new Setting(
                      READY_GRACE_MS,
                      "10000",
                      "0-600000",
                      "a pod that cannot commit (an election, a lost quorum) stays ready this long,"
                          + " so an ordinary election keeps the pods in the client Service; 0: not"
                          + " ready at once"),
                  new Setting(
                      MOVE_CLIENTS_AFTER_MS,
                      "3000",
                      "0-600000",
                      "a pod that cannot commit for this long closes its clients with 4007 MOVE"
                          + " (once), unless every peer it hears cannot commit either; 0: never"),
                  new Setting(
                      LOG_LEVEL,
                      "INFO",
                      "TRACE | DEBUG | INFO | WARN | ERROR",
                      "log level of kubechat's own loggers"),
                  new Setting(
                      DATA_DIR,
                      "(none: in memory)",
                      "absolute directory path",
                      "pod-local directory that keeps this member's Raft state, so that a restart"
                          + " in place rejoins as the same member"),
                  new Setting(
                      POD_UID,
                      "(none)",
                      "[A-Za-z0-9-]{1,64}",
                      "the pod's UID (downward API metadata.uid): the member id of a new data"
                          + " directory"),
                  new Setting(
                      CLUSTER_TLS_DIR,
                      "(none: an open cluster)",
                      "absolute directory path",
                      "directory with ca.crt, tls.crt and tls.key (PEM): the event bus uses mutual"
                          + " TLS and accepts only certificates of that CA"),
                  new Setting(
                      EVENTBUS_MAX_FRAME_BYTES,
                      "67108864",
                      "65536-1073741824",
                      "largest event-bus frame accepted; a longer length prefix closes the"
                          + " connection before anything is buffered")),
              // the consensus settings, read by RaftEnv (docs/consensus.md)
              Stream.concat(
                  RaftEnv.VARIABLES.stream()
                      .map(v -> new Setting(v.name(), v.defaultValue(), v.range(), v.meaning())),
                  // client authentication, read by AuthEnv (docs/security.md)
                  AuthEnv.VARIABLES.stream()
                      .map(v -> new Setting(v.name(), v.defaultValue(), v.range(), v.meaning()))))
          .toList();

  private final Map<String, String> env;

  private EnvConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Loads from the given variables (tests pass a map; the pod passes {@code System.getenv()}). */
  public static PodConfig load(Map<String, String> env) {
    return new EnvConfigLoader(env).load();
  }

  private PodConfig load() {
    String podIp = ipv4(POD_IP, raw(POD_IP, "127.0.0.1"));
    String nodeName = name(NODE_NAME, raw(NODE_NAME, defaultNodeName(podIp)));
    String clusterName = name(CLUSTER_NAME, raw(CLUSTER_NAME));
    Discovery discovery = discovery(raw(DISCOVERY));
    String service = env.get(CLUSTER_SERVICE);
    if (service != null && service.isBlank()) {
      service = null;
    }
    if (service != null && !DNS_NAME.matcher(service).matches()) {
      throw invalid(CLUSTER_SERVICE, service, "a DNS name");
    }
    if (discovery == Discovery.KUBERNETES && service == null) {
      throw new ConfigException(CLUSTER_SERVICE + " is required when " + DISCOVERY + "=kubernetes");
    }
    int httpPort = intIn(HTTP_PORT, 1, 65535);
    int hazelcastPort = intIn(HAZELCAST_PORT, 1, 65535);
    int eventBusPort = intIn(EVENTBUS_PORT, 1, 65535);
    int adminPort = intIn(ADMIN_PORT, 1, 65535);
    if (Stream.of(httpPort, hazelcastPort, eventBusPort, adminPort).distinct().count() < 4) {
      throw new ConfigException(
          HTTP_PORT
              + ", "
              + ADMIN_PORT
              + ", "
              + HAZELCAST_PORT
              + " and "
              + EVENTBUS_PORT
              + " must be four different ports (got "
              + httpPort
              + ", "
              + adminPort
              + ", "
              + hazelcastPort
              + ", "
              + eventBusPort
              + ")");
    }
    PodConfig.HttpLimits httpLimits =
        new PodConfig.HttpLimits(
            intIn(HTTP_IDLE_TIMEOUT_S, 1, 3600),
            intIn(HTTP_HEADER_TIMEOUT_S, 1, 300),
            intIn(MAX_CONNECTIONS, 1, 1_000_000));
    String httpHost =
        ipv4(HTTP_HOST, raw(HTTP_HOST, discovery == Discovery.KUBERNETES ? "0.0.0.0" : podIp));
    List<String> members = staticMembers(raw(STATIC_MEMBERS, podIp), hazelcastPort);
    long interval = intIn(HEARTBEAT_INTERVAL_MS, 50, 60_000);
    long timeout = intIn(HEARTBEAT_TIMEOUT_MS, 1, 600_000);
    if (timeout <= interval) {
      throw new ConfigException(
          HEARTBEAT_TIMEOUT_MS
              + " ("
              + timeout
              + ") must be greater than "
              + HEARTBEAT_INTERVAL_MS
              + " ("
              + interval
              + ")");
    }
    int idle = intIn(CLIENT_IDLE_TIMEOUT_S, 1, 3600);
    int maxFrame = intIn(MAX_FRAME_BYTES, 256, 16 * 1024 * 1024);
    int maxText = intIn(MAX_TEXT_BYTES, 1, maxFrame);
    int maxGroups = intIn(MAX_GROUPS_PER_CLIENT, 1, 10_000);
    int queue = intIn(OUTBOUND_QUEUE_FRAMES, 1, 100_000);
    int rate = intIn(RATE_LIMIT_PER_S, 1, 100_000);
    int grace = intIn(SHUTDOWN_GRACE_S, 1, 300);
    long readyGrace = intIn(READY_GRACE_MS, 0, 600_000);
    long moveAfter = intIn(MOVE_CLIENTS_AFTER_MS, 0, 600_000);
    String level = raw(LOG_LEVEL).trim().toUpperCase(Locale.ROOT);
    if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
      throw invalid(LOG_LEVEL, level, "one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    Optional<Path> dataDir =
        Optional.ofNullable(env.get(DATA_DIR))
            .filter(v -> !v.isBlank())
            .map(v -> dataDir(v.trim()));
    Optional<String> podUid =
        Optional.ofNullable(env.get(POD_UID)).filter(v -> !v.isBlank()).map(String::trim);
    if (podUid.isPresent() && !UID.matcher(podUid.get()).matches()) {
      throw invalid(POD_UID, podUid.get(), "1 to 64 characters of [A-Za-z0-9-]");
    }
    Optional<ClusterTls> tls =
        Optional.ofNullable(env.get(CLUSTER_TLS_DIR))
            .filter(v -> !v.isBlank())
            .map(v -> absoluteDir(CLUSTER_TLS_DIR, v.trim(), "/etc/kubechat/cluster-tls"))
            .map(EnvConfigLoader::clusterTls);
    Optional<ClientTls> clientTls =
        Optional.ofNullable(env.get(CLIENT_TLS_DIR))
            .filter(v -> !v.isBlank())
            .map(v -> absoluteDir(CLIENT_TLS_DIR, v.trim(), "/etc/kubechat/client-tls"))
            .map(EnvConfigLoader::clientTls);
    int ebMaxFrame = intIn(EVENTBUS_MAX_FRAME_BYTES, 64 * 1024, 1024 * 1024 * 1024);
    return new PodConfig(
        nodeName,
        podIp,
        clusterName,
        discovery,
        service,
        members,
        httpHost,
        httpPort,
        hazelcastPort,
        eventBusPort,
        interval,
        timeout,
        idle,
        maxFrame,
        maxText,
        maxGroups,
        queue,
        rate,
        grace,
        readyGrace,
        moveAfter,
        level,
        dataDir,
        podUid,
        tls,
        ebMaxFrame,
        raft(),
        adminPort,
        httpLimits,
        auth(),
        clientTls,
        intIn(CLIENT_TLS_RELOAD_S, 1, 86_400));
  }

  private static ClientTls clientTls(Path dir) {
    try {
      return ClientTls.load(dir, CLIENT_TLS_DIR);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static ClusterTls clusterTls(Path dir) {
    try {
      return ClusterTls.load(dir, CLUSTER_TLS_DIR);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Path dataDir(String value) {
    return absoluteDir(DATA_DIR, value, "/var/lib/kubechat");
  }

  private static Path absoluteDir(String var, String value, String example) {
    Path p;
    try {
      p = Path.of(value);
    } catch (InvalidPathException e) {
      p = null;
    }
    if (p == null || !p.isAbsolute()) {
      throw invalid(var, value, "an absolute directory path such as " + example);
    }
    return p;
  }

  private String defaultNodeName(String podIp) {
    String host = env.get("HOSTNAME");
    return host != null && NAME.matcher(host).matches() ? host : "pod-" + podIp;
  }

  /** {@code var}'s value, or its default as {@link #SETTINGS} lists it. */
  private String raw(String var) {
    return raw(
        var,
        SETTINGS.stream()
            .filter(s -> s.env().equals(var))
            .findFirst()
            .orElseThrow()
            .defaultValue());
  }

  private String raw(String var, String dflt) {
    String v = env.get(var);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  private static String name(String var, String value) {
    if (!NAME.matcher(value).matches()) {
      throw invalid(var, value, "1 to 64 characters of [A-Za-z0-9._-]");
    }
    return value;
  }

  private static String ipv4(String var, String value) {
    if (!IPV4.matcher(value).matches()) {
      throw invalid(var, value, "an IPv4 address such as 10.0.0.7");
    }
    return value;
  }

  private static Discovery discovery(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "static" -> Discovery.STATIC;
      case "kubernetes" -> Discovery.KUBERNETES;
      default -> throw invalid(DISCOVERY, value, "static or kubernetes");
    };
  }

  private int intIn(String var, int min, int max) {
    String value = raw(var);
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw invalid(var, value, "an integer from " + min + " to " + max);
    }
    if (parsed < min || parsed > max) {
      throw invalid(var, value, "an integer from " + min + " to " + max);
    }
    return (int) parsed;
  }

  private static List<String> staticMembers(String value, int defaultPort) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String m = part.trim();
      if (m.isEmpty()) {
        continue;
      }
      String host = m;
      int port = defaultPort;
      int colon = m.indexOf(':');
      if (colon >= 0) {
        host = m.substring(0, colon);
        try {
          port = Integer.parseInt(m.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65535 || !(IPV4.matcher(host).matches() || isHostName(host))) {
        throw invalid(STATIC_MEMBERS, m, "comma-separated ip or ip:port entries");
      }
      out.add(host + ":" + port);
    }
    if (out.isEmpty()) {
      throw invalid(STATIC_MEMBERS, value, "at least one ip or ip:port");
    }
    return out;
  }

  private static boolean isHostName(String host) {
    return DNS_NAME.matcher(host).matches()
        && !host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
  }

  private static ConfigException invalid(String var, String value, String expected) {
    return new ConfigException("invalid " + var + "='" + value + "': expected " + expected);
  }

  /** The consensus settings (docs/consensus.md); an invalid one names its variable. */
  private RaftSettings raft() {
    try {
      return RaftEnv.read(env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid " + e.getMessage());
    }
  }

  /**
   * Client authentication (docs/security.md); an invalid setting or key file names its variable.
   */
  private AuthConfig auth() {
    try {
      return AuthEnv.read(env);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** The {@code --help} text: every variable with its default, range and meaning. */
  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("kubechat chat pod\n\nUsage: java -jar kubechat-chat-pod.jar [--help]\n\n")
        .append("Configured only through environment variables:\n\n");
    for (Setting s : SETTINGS) {
      sb.append("  ")
          .append(s.env())
          .append('\n')
          .append("      ")
          .append(s.meaning())
          .append('\n')
          .append("      default: ")
          .append(s.defaultValue())
          .append("; range: ")
          .append(s.range())
          .append('\n');
    }
    return sb.toString();
  }
}
