package io.kubechat.pod.ws;

import io.kubechat.pod.auth.ClientAuth;
import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.chat.LocalGroupRouter;
import io.kubechat.pod.metrics.PodMetrics;
import io.vertx.core.Vertx;

/** What every session of this pod shares: identity, limits, the backend and the local router. */
public record SessionSettings(
    Vertx vertx,
    String node,
    String incarnation,
    String version,
    int maxFrameBytes,
    int maxTextBytes,
    int maxGroups,
    int outboundQueueFrames,
    int rateLimitPerS,
    long idleTimeoutMs,
    ChatBackend backend,
    LocalGroupRouter router,
    PodMetrics metrics,
    ClientAuth auth,
    long reauthGraceMs) {

  /**
   * The largest message assembled from fragments before it is dropped as TOO_LARGE; four frames'
   * worth, as the server's frame limit (the parser refuses anything over maxFrameBytes anyway).
   */
  public int maxMessageBytes() {
    return (int) Math.min(Integer.MAX_VALUE, 4L * maxFrameBytes);
  }

  /** Invalid frames in a row after which a connection is closed 4500 PROTOCOL_VIOLATION. */
  public static final int MAX_INVALID_IN_A_ROW = 20;

  /**
   * Sends of one connection waiting to be ordered, at most (as many as deduplication remembers).
   */
  public static final int MAX_QUEUED_SENDS = 256;

  /**
   * How long a refused message holds back its connection's later ones, at most (see OrderedSends).
   */
  public static final long REFUSED_HOLD_MS = 10_000;
}
