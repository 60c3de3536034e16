package io.kubechat.pod.eventbus;

import io.netty.channel.Channel;
import io.vertx.core.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x-wide handler of exceptions that no one handled (Vert.x otherwise logs each one with
 * its stack trace). An exception thrown while {@link FrameGuard} hands bytes of an event-bus
 * connection to Vert.x's frame decoder (same thread, synchronously) was caused by what that peer
 * sent: the connection is closed, so that garbage costs the sender a new connection. Every such
 * exception, and any other, is logged through a {@link LogThrottle}: at most one line per interval.
 */
public final class InboundFailures implements Handler<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(InboundFailures.class);
  static final long LOG_INTERVAL_MS = 10_000;

  /** The event-bus connection whose bytes this thread is decoding right now, if any. */
  private final ThreadLocal<Channel> decoding = new ThreadLocal<>();

  private final LogThrottle peerLog = new LogThrottle(LOG, LOG_INTERVAL_MS);
  private final LogThrottle otherLog = new LogThrottle(LOG, LOG_INTERVAL_MS);
  private final Runnable onPeerFailure;

  /**
   * @param onPeerFailure counts a connection closed for an undecodable frame
   */
  public InboundFailures(Runnable onPeerFailure) {
    this.onPeerFailure = onPeerFailure;
  }

  /** Runs {@code delivery} (handing {@code channel}'s bytes on) with failures blamed on it. */
  void decodingFor(Channel channel, Runnable delivery) {
    decoding.set(channel);
    try {
      delivery.run();
    } finally {
      decoding.remove();
    }
  }

  @Override
  public void handle(Throwable t) {
    Channel peer = decoding.get();
    if (peer != null) {
      peer.close();
      onPeerFailure.run();
      peerLog.warn(
          "closed the event-bus connection from "
              + peer.remoteAddress()
              + ": undecodable frame ("
              + t
              + ")");
    } else {
      // a bug of ours, not a peer's doing: keep the stack trace, but never more than one per
      // interval
      otherLog.warn("unhandled exception", t);
    }
  }
}
