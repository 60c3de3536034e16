package io.kubechat.pod.eventbus;

import io.kubechat.pod.metrics.PodMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protects the event-bus port from what a peer sends, TLS or not: the transport that puts a
 * {@link FrameGuard} on every inbound connection, and the handler that closes a connection whose
 * frame Vert.x could not decode. Refusals are counted and logged at most once per interval.
 */
public final class EventBusGuard {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusGuard.class);

  private final GuardedTransport transport;
  private final InboundFailures failures;

  public EventBusGuard(String host, int port, int maxFrameBytes, PodMetrics metrics) {
    LogThrottle refusedLog = new LogThrottle(LOG, InboundFailures.LOG_INTERVAL_MS);
    this.failures = new InboundFailures(() -> metrics.eventBusRefused("undecodable"));
    FrameGuard.Refusals refusals =
        (ctx, violation, detail) -> {
          metrics.eventBusRefused(violation.name().toLowerCase(Locale.ROOT).replace('_', '-'));
          refusedLog.warn(
              "closed the event-bus connection from "
                  + ctx.channel().remoteAddress()
                  + ": "
                  + detail);
        };
    this.transport =
        new GuardedTransport(host, port, maxFrameBytes, () -> new FrameGuard(refusals, failures));
  }

  /** The transport to build Vert.x with. */
  public Transport transport() {
    return transport;
  }

  /** Installs the handler of undecodable frames and other unhandled exceptions. */
  public void install(Vertx vertx) {
    vertx.exceptionHandler(failures);
  }
}
