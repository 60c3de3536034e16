package io.kubechat.pod.raft;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a running consensus group: publishes a request on {@link RaftAddresses#DISCOVERY}; members
 * answer on the asking pod's address (kind {@code found}) with the group id, their pod name and
 * the leader's pod name. Used from one Vert.x context.
 */
final class GroupDiscovery {

  private static final int MAX_ANSWERS = 100;

  private final Vertx vertx;
  private final String node;
  private final long windowMs;
  private List<JsonObject> answers;

  GroupDiscovery(Vertx vertx, String node, long windowMs) {
    this.vertx = vertx;
    this.node = node;
    this.windowMs = windowMs;
  }

  /** After the window: the best answer (one that knows a leader first), if any. */
  Future<Optional<JsonObject>> find() {
    List<JsonObject> collected = new ArrayList<>();
    answers = collected;
    vertx.eventBus().publish(RaftAddresses.DISCOVERY, new JsonObject().put("from", node),
        new DeliveryOptions().addHeader(RaftAddresses.FROM, node));
    Promise<Optional<JsonObject>> result = Promise.promise();
    vertx.setTimer(windowMs, id -> {
      if (answers == collected) {
        answers = null;
      }
      result.complete(collected.stream().filter(a -> a.getString("leader") != null).findFirst()
          .or(() -> collected.stream().findFirst()));
    });
    return result.future();
  }

  /** An answer arrived; kept if well-formed and a search is running. */
  void offer(JsonObject answer) {
    Object group = answer.getValue("group");
    Object from = answer.getValue("node");
    Object leader = answer.getValue("leader");
    if (answers != null && answers.size() < MAX_ANSWERS && group instanceof String
        && from instanceof String && (leader == null || leader instanceof String)) {
      answers.add(answer);
    }
  }

  /** What a member answers to {@code asker}. */
  static void answer(Vertx vertx, String asker, String self, String group, String leader) {
    JsonObject answer = new JsonObject().put("node", self).put("group", group)
        .put("leader", leader);
    vertx.eventBus().send(RaftAddresses.pod(asker), answer, new DeliveryOptions()
        .addHeader(RaftAddresses.KIND, "found").addHeader(RaftAddresses.FROM, self));
  }
}
