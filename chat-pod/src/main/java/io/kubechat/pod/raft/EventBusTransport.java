package io.kubechat.pod.raft;

import io.microraft.RaftEndpoint;
import io.microraft.model.message.RaftMessage;
import io.microraft.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Predicate;

/**
 * MicroRaft's transport over the event bus: every message is a fire-and-forget send of its JSON
 * form to the target pod's one address. Raft retries by itself, so a lost message costs nothing but
 * time. Sends hop onto the Vert.x context, so MicroRaft's thread never touches Vert.x.
 */
final class EventBusTransport implements Transport {

  private final Vertx vertx;
  private final Context context;
  private final RaftCodec codec;
  private final String localNode;
  private final Predicate<PodEndpoint> reachable;

  EventBusTransport(
      Vertx vertx,
      Context context,
      RaftCodec codec,
      String localNode,
      Predicate<PodEndpoint> reachable) {
    this.vertx = vertx;
    this.context = context;
    this.codec = codec;
    this.localNode = localNode;
    this.reachable = reachable;
  }

  @Override
  public void send(RaftEndpoint target, RaftMessage message) {
    PodEndpoint to = (PodEndpoint) target;
    JsonObject body = codec.encode(message);
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(RaftAddresses.KIND, "raft")
            .addHeader(RaftAddresses.FROM, localNode)
            .addHeader(RaftAddresses.TO, to.getId());
    context.runOnContext(v -> vertx.eventBus().send(RaftAddresses.pod(to.node()), body, options));
  }

  @Override
  public boolean isReachable(RaftEndpoint endpoint) {
    return reachable.test((PodEndpoint) endpoint);
  }
}
