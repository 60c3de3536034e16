package io.kubechat.pod.raft;

import io.microraft.exception.CannotReplicateException;
import io.microraft.exception.IndeterminateStateException;
import io.microraft.exception.NotLeaderException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consensus layer's messages between pods: one consumer on this pod's address {@code
 * kubechat.raft.<node>}, one handler per kind (the {@code k} header), and requests to other pods
 * with a timeout (a send to a dead pod would otherwise wait until the cluster manager drops it).
 */
final class PodRpc {
  private static final Logger LOG = LoggerFactory.getLogger(PodRpc.class);

  private final Vertx vertx;
  private final String node;
  private final Map<String, Handler<Message<JsonObject>>> handlers = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  PodRpc(Vertx vertx, String node) {
    this.vertx = vertx;
    this.node = node;
  }

  /** Handles messages of {@code kind}; register every kind before {@link #listen()}. */
  PodRpc on(String kind, Handler<Message<JsonObject>> handler) {
    handlers.put(kind, handler);
    return this;
  }

  /** Registers the pod's consumer; completes once the registration reached the cluster. */
  Future<Void> listen() {
    consumer = vertx.eventBus().consumer(RaftAddresses.pod(node), this::dispatch);
    return consumer.completion();
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void dispatch(Message<JsonObject> msg) {
    String kind = msg.headers().get(RaftAddresses.KIND);
    if (kind == null) {
      return;
    }
    Handler<Message<JsonObject>> handler = handlers.get(kind);
    if (handler == null) {
      msg.fail(400, "unknown kind " + kind);
      return;
    }
    try {
      handler.handle(msg);
    } catch (RuntimeException e) {
      LOG.warn("{}: bad {} message: {}", node, kind, e.toString());
      if (msg.replyAddress() != null) {
        msg.fail(400, e.toString());
      }
    }
  }

  /** Asks {@code target}'s pod; fails after {@code timeoutMs}. */
  Future<JsonObject> request(String target, String kind, JsonObject body, long timeoutMs) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            RaftAddresses.pod(target), body, options(kind).setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  /** Tells {@code target}'s member {@code memberId}, without waiting for an answer. */
  void tell(String target, String memberId, String kind, JsonObject body) {
    vertx
        .eventBus()
        .send(RaftAddresses.pod(target), body, options(kind).addHeader(RaftAddresses.TO, memberId));
  }

  /** Tells {@code target}'s pod, whatever member it runs, without waiting for an answer. */
  void notify(String target, String kind, JsonObject body) {
    vertx.eventBus().send(RaftAddresses.pod(target), body, options(kind));
  }

  /** A message of {@code kind} from this pod. */
  private DeliveryOptions options(String kind) {
    return new DeliveryOptions()
        .addHeader(RaftAddresses.KIND, kind)
        .addHeader(RaftAddresses.FROM, node);
  }

  /** The answer of a pod that cannot do what only the leader does. */
  static JsonObject notLeader(String leader) {
    return refused("not the leader", leader);
  }

  static JsonObject refused(String error, String leader) {
    return new JsonObject().put("ok", false).put("error", error).put("leader", leader);
  }

  /** A short, stable description of why a Raft operation failed, for answers and logs. */
  static String describe(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof NotLeaderException) {
      return "not the leader";
    } else if (c instanceof CannotReplicateException) {
      return "cannot replicate now";
    } else if (c instanceof IndeterminateStateException) {
      return "leader changed while replicating";
    } else if (c instanceof ReplyException re) {
      return re.failureType() + ": " + re.getMessage();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
