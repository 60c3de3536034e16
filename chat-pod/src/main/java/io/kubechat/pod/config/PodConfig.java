package io.kubechat.pod.config;

import io.kubechat.pod.auth.AuthConfig;
import io.kubechat.pod.eventbus.ClusterTls;
import io.kubechat.pod.http.ClientTls;
import io.kubechat.pod.raft.RaftSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a chat pod is configured with, read once at start from {@code KUBECHAT_*} environment
 * variables by {@link EnvConfigLoader}. See docs/configuration.md.
 */
public record PodConfig(
    String nodeName,
    String podIp,
    String clusterName,
    Discovery discovery,
    String clusterService,
    List<String> staticMembers,
    String httpHost,
    int httpPort,
    int hazelcastPort,
    int eventBusPort,
    long heartbeatIntervalMs,
    long heartbeatTimeoutMs,
    int clientIdleTimeoutS,
    int maxFrameBytes,
    int maxTextBytes,
    int maxGroupsPerClient,
    int outboundQueueFrames,
    int rateLimitPerS,
    int shutdownGraceS,
    long readyGraceMs,
    long moveClientsAfterMs,
    String logLevel,
    Optional<Path> dataDir,
    Optional<String> podUid,
    Optional<ClusterTls> clusterTls,
    int eventBusMaxFrameBytes,
    RaftSettings raft,
    int adminPort,
    HttpLimits httpLimits,
    AuthConfig auth,
    Optional<ClientTls> clientTls,
    int clientTlsReloadS) {

  /**
   * How the HTTP servers police connections (docs/security.md).
   *
   * @param idleTimeoutS a connection that is not a WebSocket waits at most this long for its next
   *     request
   * @param headerTimeoutS a connection must complete its request head within this time
   * @param maxConnections open connections the client port accepts; more are refused with 503
   */
  public record HttpLimits(int idleTimeoutS, int headerTimeoutS, int maxConnections) {}

  /** How the pod finds its peers. */
  public enum Discovery {
    /** Hazelcast DNS lookup of a headless Service. */
    KUBERNETES,
    /** TCP-IP join on a fixed address list. */
    STATIC
  }

  public PodConfig {
    staticMembers = List.copyOf(staticMembers);
  }

  /** How long a peer may stay silent before it is DEAD. */
  public long deadAfterMs() {
    return 3 * heartbeatTimeoutMs;
  }
}
