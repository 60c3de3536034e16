package io.kubechat.pod.raft;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a running consensus group: publishes a request on {@link RaftAddresses#DISCOVERY}; every
 * pod answers on the asking pod's address (kind {@code found}) with its pod name, its group id and
 * leader (null when it is in no group yet) and whether it bootstraps. Used from one Vert.x context.
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

  /** After the window: every answer, from members and from pods in no group alike. */
  Future<List<JsonObject>> find() {
    List<JsonObject> collected = new ArrayList<>();
    answers = collected;
    vertx
        .eventBus()
        .publish(
            RaftAddresses.DISCOVERY,
            new JsonObject().put("from", node),
            new DeliveryOptions().addHeader(RaftAddresses.FROM, node));
    Promise<List<JsonObject>> result = Promise.promise();
    vertx.setTimer(
        windowMs,
        id -> {
          if (answers == collected) {
            answers = null;
          }
          result.complete(List.copyOf(collected));
        });
    return result.future();
  }

  /** An answer arrived; kept if well-formed and a search is running. */
  void offer(JsonObject answer) {
    Object group = answer.getValue("group");
    Object from = answer.getValue("node");
    Object leader = answer.getValue("leader");
    if (answers != null
        && answers.size() < MAX_ANSWERS
        && (group == null || group instanceof String)
        && from instanceof String
        && (leader == null || leader instanceof String)) {
      answers.add(answer);
    }
  }

  /** What a pod answers to {@code asker}; {@code group} is null when it is in none yet. */
  static void answer(
      Vertx vertx, String asker, String self, String group, String leader, boolean bootstrap) {
    JsonObject answer =
        new JsonObject()
            .put("node", self)
            .put("group", group)
            .put("leader", leader)
            .put("bootstrap", bootstrap);
    vertx
        .eventBus()
        .send(
            RaftAddresses.pod(asker),
            answer,
            new DeliveryOptions()
                .addHeader(RaftAddresses.KIND, "found")
                .addHeader(RaftAddresses.FROM, self));
  }
}
