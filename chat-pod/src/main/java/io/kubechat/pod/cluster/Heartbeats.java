package io.kubechat.pod.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this pod's heartbeat every interval on one cluster-wide address, answers peers'
 * heartbeats with an ack to their inbox, ages the {@link MembershipTable} and reports transitions.
 * Must be started on the pod's context: the table is only touched from there.
 */
public final class Heartbeats {
  public static final String ADDRESS = "kubechat.heartbeat";
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

  private final Vertx vertx;
  private final String node;
  private final String incarnation;
  private final long intervalMs;
  private final PodInbox inbox;
  private final MembershipTable table;
  private final Supplier<Beat> self;
  private final LongConsumer missedHeartbeats;
  private final Handler<MembershipTable.Transition> transitions;
  private final Map<String, Heard> heard = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private long timerId = -1;

  public Heartbeats(
      Vertx vertx,
      String node,
      String incarnation,
      long intervalMs,
      PodInbox inbox,
      MembershipTable table,
      Supplier<Beat> self,
      LongConsumer missedHeartbeats,
      Handler<MembershipTable.Transition> transitions) {
    this.vertx = vertx;
    this.node = node;
    this.incarnation = incarnation;
    this.intervalMs = intervalMs;
    this.inbox = inbox;
    this.table = table;
    this.self = self;
    this.missedHeartbeats = missedHeartbeats;
    this.transitions = transitions;
  }

  /**
   * What a heartbeat says about this pod: its client connections, and whether it can commit (its
   * consensus group is available), so that a pod that cannot tells a lone problem from a lost
   * quorum.
   */
  public record Beat(int clients, boolean commits) {}

  private record Heard(long at, boolean commits) {}

  /**
   * At least one peer was heard within {@code withinMs}, and every peer heard within it said it
   * cannot commit either: the whole cluster waits for a quorum, not only this pod.
   */
  public boolean peersCannotCommit(long withinMs) {
    long since = now() - withinMs;
    List<Heard> recent = heard.values().stream().filter(h -> h.at() >= since).toList();
    return !recent.isEmpty() && recent.stream().noneMatch(Heard::commits);
  }

  public Future<Void> start() {
    inbox.on(
        "hb-ack", ack -> table.onAck(ack.getString("node"), ack.getString("incarnation"), now()));
    consumer =
        vertx
            .eventBus()
            .consumer(
                ADDRESS,
                msg -> {
                  try {
                    onHeartbeat(msg.body());
                  } catch (RuntimeException e) {
                    LOG.warn("dropping malformed heartbeat: {}", e.toString());
                  }
                });
    return consumer
        .completion()
        .onSuccess(
            v -> {
              publish("hb");
              timerId = vertx.setPeriodic(intervalMs, id -> tick());
            });
  }

  /** Says goodbye (peers mark this pod LEFT) and stops publishing. */
  public Future<Void> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    publish("left");
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void tick() {
    publish("hb");
    long now = now();
    long missed = table.takeMissedHeartbeats(now);
    if (missed > 0) {
      missedHeartbeats.accept(missed);
    }
    List<MembershipTable.Transition> changes = table.evaluate(now);
    changes.forEach(this::report);
  }

  private void publish(String kind) {
    Beat beat = self.get();
    vertx
        .eventBus()
        .publish(
            ADDRESS,
            new JsonObject()
                .put("kind", kind)
                .put("node", node)
                .put("incarnation", incarnation)
                .put("ts", System.currentTimeMillis())
                .put("clients", beat.clients())
                .put("commits", beat.commits())
                .put("inbox", inbox.address()));
  }

  private void onHeartbeat(JsonObject hb) {
    String from = hb.getString("node");
    String inc = hb.getString("incarnation");
    if (from == null || inc == null || (from.equals(node) && inc.equals(incarnation))) {
      return;
    }
    if (from.equals(node)) {
      LOG.warn(
          "another pod uses this pod's node name {} (incarnation {}); node names must be unique",
          from,
          inc);
      return;
    }
    if ("left".equals(hb.getString("kind"))) {
      heard.remove(from);
      report(table.onLeft(from, inc, now()));
      return;
    }
    heard.put(from, new Heard(now(), hb.getBoolean("commits", true)));
    report(table.onHeartbeat(from, inc, hb.getString("inbox"), now()));
    String replyTo = hb.getString("inbox");
    if (replyTo != null) {
      inbox.send(
          replyTo,
          new JsonObject().put("kind", "hb-ack").put("node", node).put("incarnation", incarnation));
    }
  }

  private void report(MembershipTable.Transition t) {
    if (t == null) {
      return;
    }
    if (t.restarted()) {
      LOG.info(
          "member {} restarted: new incarnation {} ({} -> ALIVE)",
          t.node(),
          t.incarnation(),
          t.from());
    } else {
      LOG.info(
          "member {} ({}): {} -> {}",
          t.node(),
          t.incarnation(),
          t.from() == null ? "new" : t.from(),
          t.to());
    }
    transitions.handle(t);
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
