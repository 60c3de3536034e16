package io.kubechat.pod.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single event-bus address of this pod process ({@code kubechat.pod.<node>.<incarnation>}).
 * Everything sent to one pod (heartbeat acks, presence sync) arrives here and is dispatched on the
 * JSON {@code kind} field, so the pod registers one consumer however many features use it. The
 * incarnation in the address keeps a restarted pod from sharing an address with its dead self.
 */
public final class PodInbox {
  private static final Logger LOG = LoggerFactory.getLogger(PodInbox.class);

  /** Fire-and-forget sends; a peer that went away must not keep anything waiting long. */
  public static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(2000);

  private final EventBus bus;
  private final String address;
  private final Map<String, Handler<JsonObject>> handlers = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public PodInbox(EventBus bus, String node, String incarnation) {
    this.bus = bus;
    this.address = addressOf(node, incarnation);
  }

  public static String addressOf(String node, String incarnation) {
    return "kubechat.pod." + node + "." + incarnation;
  }

  public String address() {
    return address;
  }

  /** Routes messages whose {@code kind} is {@code kind} to {@code handler}. */
  public void on(String kind, Handler<JsonObject> handler) {
    handlers.put(kind, handler);
  }

  public Future<Void> start() {
    consumer =
        bus.consumer(
            address,
            msg -> {
              JsonObject body = msg.body();
              Handler<JsonObject> h =
                  body == null ? null : handlers.get(body.getString("kind", ""));
              if (h != null) {
                try {
                  h.handle(body);
                } catch (RuntimeException e) {
                  LOG.warn(
                      "dropping malformed {} message: {}", body.getString("kind"), e.toString());
                }
              }
            });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * Sends {@code body} (with its {@code kind}) to another pod's inbox, without waiting for a reply.
   */
  public void send(String toAddress, JsonObject body) {
    bus.send(toAddress, body, SEND);
  }
}
