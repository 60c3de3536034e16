package io.kubechat.pod.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * kubechat's own meters, in the same Prometheus registry as Vert.x's (vertx-micrometer), served at
 * /metrics. Names follow Prometheus conventions ({@code _total} is added to counters by the
 * exporter).
 */
public final class PodMetrics {
  private final PrometheusMeterRegistry registry;
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter heartbeatsMissed;
  private final Counter slowConsumers;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Map<String, Counter> connectionsRefused = new ConcurrentHashMap<>();
  private final Map<String, Counter> connectionsTimedOut = new ConcurrentHashMap<>();

  public PodMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PodMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    messagesIn =
        Counter.builder("kubechat.messages.in")
            .description("chat messages accepted from local clients")
            .register(registry);
    messagesOut =
        Counter.builder("kubechat.messages.out")
            .description("chat messages delivered to local clients")
            .register(registry);
    heartbeatsMissed =
        Counter.builder("kubechat.heartbeats.missed")
            .description("peer heartbeats not received in time")
            .register(registry);
    slowConsumers =
        Counter.builder("kubechat.clients.slow.consumer.disconnects")
            .description("clients closed with 4002 SLOW_CONSUMER")
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void clientsGauge(Supplier<Number> connected) {
    Gauge.builder("kubechat.clients.connected", connected)
        .description("open WebSocket connections")
        .register(registry);
  }

  public void membersGauge(String state, Supplier<Number> count) {
    Gauge.builder("kubechat.cluster.members", count)
        .tag("state", state)
        .description("pods in the membership table by state, this pod included (ALIVE)")
        .register(registry);
  }

  public void messageIn() {
    messagesIn.increment();
  }

  public void messageOut() {
    messagesOut.increment();
  }

  public void heartbeatsMissed(long n) {
    heartbeatsMissed.increment(n);
  }

  public void slowConsumer() {
    slowConsumers.increment();
  }

  /**
   * An event-bus connection closed by the pod: {@code reason} is {@code length} (a frame length out
   * of bounds), {@code not-a-message} (not a Vert.x wire message) or {@code undecodable}.
   */
  public void eventBusRefused(String reason) {
    Counter.builder("kubechat.eventbus.refused.connections")
        .tag("reason", reason)
        .description("event-bus connections closed for what the peer sent")
        .register(registry)
        .increment();
  }

  public void frameRejected(String code) {
    rejected
        .computeIfAbsent(
            code,
            c ->
                Counter.builder("kubechat.frames.rejected")
                    .tag("code", c)
                    .description("client frames refused with an error, by error code")
                    .register(registry))
        .increment();
  }

  /** Open TCP connections of one HTTP server ({@code port}: client or admin), WebSockets too. */
  public void httpConnectionsGauge(String port, Supplier<Number> open) {
    Gauge.builder("kubechat.http.connections", open)
        .tag("port", port)
        .description("open HTTP connections (WebSockets included) by server port")
        .register(registry);
  }

  /** A connection over KUBECHAT_MAX_CONNECTIONS, answered 503 and closed. */
  public void httpConnectionRefused(String port) {
    connectionsRefused
        .computeIfAbsent(
            port,
            p ->
                Counter.builder("kubechat.http.connections.refused")
                    .tag("port", p)
                    .description("connections refused over the connection cap (503)")
                    .register(registry))
        .increment();
  }

  /** A connection closed by the header-read or idle timeout ({@code reason}). */
  public void httpConnectionTimedOut(String port, String reason) {
    connectionsTimedOut
        .computeIfAbsent(
            port + "/" + reason,
            k ->
                Counter.builder("kubechat.http.connections.timed.out")
                    .tag("port", port)
                    .tag("reason", reason)
                    .description("connections closed by the header-read or idle timeout")
                    .register(registry))
        .increment();
  }

  public String scrape() {
    return registry.scrape();
  }
}
