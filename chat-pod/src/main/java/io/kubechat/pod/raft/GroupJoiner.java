package io.kubechat.pod.raft;

import io.kubechat.pod.raft.store.RaftPersistence;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this pod becomes a member: restored from its data directory, or by discovery (join the group
 * found, form one, or look again), and again after the group removed it. Also answers the other
 * pods' discovery requests. Confined to the backend's context.
 */
final class GroupJoiner {
  private static final Logger LOG = LoggerFactory.getLogger(GroupJoiner.class);

  private final Vertx vertx;
  private final RaftMember member;
  private final RaftSettings settings;
  private final PodRpc rpc;
  private final GroupDiscovery discovery;
  private final Handler<String> onRemoved;
  private MessageConsumer<JsonObject> discoveryConsumer;

  /** The group of the member being restored, until its Raft node runs; else null. */
  private String restoring;

  private String lastWaitReason;
  private long lastWaitLogged;

  /**
   * @param onRemoved called with the reason when the group removed this member, before it joins
   *     again as a new one
   */
  GroupJoiner(
      Vertx vertx,
      RaftMember member,
      RaftSettings settings,
      PodRpc rpc,
      GroupDiscovery discovery,
      Handler<String> onRemoved) {
    this.vertx = vertx;
    this.member = member;
    this.settings = settings;
    this.rpc = rpc;
    this.discovery = discovery;
    this.onRemoved = onRemoved;
  }

  /** Answers discovery; completes once that consumer reached the cluster. */
  Future<Void> listen() {
    discoveryConsumer = vertx.eventBus().consumer(RaftAddresses.DISCOVERY, this::onDiscovery);
    return discoveryConsumer.completion();
  }

  Future<Void> close() {
    return discoveryConsumer == null ? Future.succeededFuture() : discoveryConsumer.unregister();
  }

  /** Takes the member restored from the data directory, if any: answered in discovery at once. */
  Optional<RaftPersistence.Restored> takeRestored(RaftPersistence persistence) {
    Optional<RaftPersistence.Restored> restored = persistence.takeRestored();
    restored.ifPresent(r -> restoring = r.group());
    return restored;
  }

  /** Starts the member: restored, else through discovery. */
  void start(Optional<RaftPersistence.Restored> restored) {
    restored.ifPresentOrElse(
        r -> {
          member.resume(r);
          restoring = null;
        },
        this::discover);
  }

  /** Looks for a running group; joins it, or forms one when bootstrapping, or looks again. */
  private void discover() {
    if (member.stopping() || member.running()) {
      return;
    }
    discovery
        .find()
        .onSuccess(
            answers -> {
              if (member.stopping() || member.running()) {
                return;
              }
              BootstrapDecision decision =
                  BootstrapDecision.decide(
                      member.node(),
                      settings.bootstrap(),
                      answers,
                      otherClusterNodes(),
                      settings.clusterSize());
              switch (decision.kind()) {
                case JOIN -> askToJoin(decision.found(), 0);
                case FORM -> form();
                case WAIT -> {
                  logWaiting(decision.reason());
                  discover();
                }
              }
            });
  }

  /** Logs why discovery goes on: when the reason changes, else once every 30 s. */
  private void logWaiting(String reason) {
    long now = System.currentTimeMillis();
    if (!reason.equals(lastWaitReason) || now - lastWaitLogged >= 30_000) {
      LOG.info("{}: {}; retrying discovery", member.node(), reason);
      lastWaitReason = reason;
      lastWaitLogged = now;
    }
  }

  /**
   * The other nodes of the clustered event bus (every one runs a pod), or -1 when not clustered.
   */
  private int otherClusterNodes() {
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    return cluster == null ? -1 : Math.max(0, cluster.getNodes().size() - 1);
  }

  private void form() {
    String id = "kc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    LOG.info("{}: no consensus group found, forming group {}", member.node(), id);
    member.form(id);
  }

  /** Asks a member (the leader, or one that knows it) to add this pod as a learner. */
  private void askToJoin(JsonObject found, int attempt) {
    if (member.stopping() || member.running()) {
      return;
    }
    String target =
        found.getString("leader") != null ? found.getString("leader") : found.getString("node");
    JsonObject body = new JsonObject().put("id", member.self().getId());
    rpc.request(target, "add", body, settings.sendTimeoutMs())
        .onComplete(
            ar -> {
              if (member.stopping() || member.running()) {
                return;
              }
              if (ar.succeeded() && ar.result().getBoolean("ok", false)) {
                JsonObject r = ar.result();
                member.join(
                    r.getString("group"),
                    r.getLong("index"),
                    RaftCodec.endpoints(r.getJsonArray("initial")),
                    RaftCodec.endpoints(r.getJsonArray("initialVoting")));
                return;
              }
              String leader = ar.succeeded() ? ar.result().getString("leader") : null;
              LOG.info(
                  "{}: join attempt {} via {} failed: {}",
                  member.node(),
                  attempt,
                  target,
                  ar.succeeded() ? ar.result().encode() : ar.cause().getMessage());
              vertx.setTimer(
                  Math.min(1000, 100L * (attempt + 1)),
                  t -> {
                    if (leader != null) {
                      askToJoin(found.copy().put("leader", leader), attempt + 1);
                    } else {
                      discover();
                    }
                  });
            });
  }

  /**
   * The leader removed us (we were cut off for longer than the removal timeout): start over as a
   * learner with a fresh state, caught up from the leader.
   */
  void rejoin() {
    LOG.warn("{}: removed from consensus group {}, joining again", member.node(), member.groupId());
    startOver("removed from the consensus group, rejoining");
  }

  /** Drops the member and looks for the group again, as a new member. */
  private void startOver(String reason) {
    member.dropRemoved(reason);
    onRemoved.handle(reason);
    discover();
  }

  /** A member told us the group removed us; only a member list newer than ours proves it. */
  void onRemovedNotice(Message<JsonObject> msg) {
    var r = member.report();
    if (!member.running()
        || member.stopping()
        || r == null
        || !member.self().getId().equals(msg.headers().get(RaftAddresses.TO))) {
      return;
    }
    if (msg.body().getLong("index", -1L) > r.getCommittedMembers().getLogIndex()) {
      member.terminateRemoved();
      rejoin();
    }
  }

  /** An answer to our discovery request. */
  void offer(JsonObject answer) {
    discovery.offer(answer);
  }

  /**
   * Another pod re-formed our group after it lost its quorum (see {@link QuorumRecovery}): leave
   * the former group, which can never commit again without that pod's say, and join the new one.
   */
  void onRegrouped(Message<JsonObject> msg) {
    String from = msg.body().getString("from");
    if (!member.running() || member.stopping() || from == null || !from.equals(member.groupId())) {
      return;
    }
    LOG.warn(
        "{}: group {} was re-formed by {} as {} after losing its quorum; joining it",
        member.node(),
        from,
        msg.headers().get(RaftAddresses.FROM),
        msg.body().getString("group"));
    member.terminateRemoved();
    startOver("the consensus group was re-formed, joining it");
  }

  private void onDiscovery(Message<JsonObject> msg) {
    String from = msg.body().getValue("from") instanceof String f ? f : null;
    if (from == null || from.equals(member.node()) || member.stopping()) {
      return;
    }
    // Pods in no group answer too: a bootstrapping pod must hear "no group", not silence.
    boolean running = member.running();
    GroupDiscovery.answer(
        vertx,
        from,
        member.node(),
        running ? member.groupId() : restoring,
        // a leader only when it leads a quorum: a joiner must not pick a group that lost it
        running && member.status().available() ? member.status().leader() : null,
        settings.bootstrap());
  }
}
