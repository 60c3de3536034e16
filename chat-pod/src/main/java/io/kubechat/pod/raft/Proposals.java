package io.kubechat.pod.raft;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.state.ChatCommand;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The commands this pod proposed and waits for. Each goes to the leader (or is replicated here when
 * this pod leads) and completes when this pod applies it, so that the caller's result and the
 * events around it are in log order. A leader change retries it at the new leader (the entry is
 * deduplicated by its request id); no leader, or none that answers, fails it with a retryable
 * UNAVAILABLE, never later than the send timeout. Confined to the backend's context.
 */
final class Proposals {
  private static final long RETRY_DELAY_MS = 50;

  /** What proposing needs from the consensus member. */
  interface Consensus {
    /** The latest status (leader, availability). */
    BackendStatus status();

    /** Why no proposal can be made at all (stopping, not a member), or null. */
    String refusal();

    /** Asks the Raft node for a fresh report, which updates {@link #status()}. */
    Future<?> refresh();

    /** On the leader: replicates and completes with the entry's index once committed. */
    Future<Long> replicate(Proposal proposal);

    /** Forwards {@code proposal} to {@code leader}'s pod; its answer says whether it committed. */
    Future<JsonObject> forward(String leader, JsonObject proposal);
  }

  private final Vertx vertx;
  private final String node;
  private final long timeoutMs;
  private final long electionTimeoutMs;
  private final RaftMetrics metrics;
  private final Consensus consensus;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long requestCounter;
  private long leaderlessSince;

  Proposals(
      Vertx vertx, String node, RaftSettings settings, RaftMetrics metrics, Consensus consensus) {
    this.vertx = vertx;
    this.node = node;
    this.timeoutMs = settings.sendTimeoutMs();
    this.electionTimeoutMs = settings.electionTimeoutMs();
    this.metrics = metrics;
    this.consensus = consensus;
  }

  /** Proposes {@code command} as member {@code origin}; completes with its applied result. */
  Future<Object> propose(String origin, ChatCommand command) {
    long id = ++requestCounter;
    Promise<Object> promise = Promise.promise();
    Pending p = new Pending(promise, new Proposal(origin, id, command));
    pending.put(id, p);
    p.timer =
        vertx.setTimer(
            timeoutMs, t -> p.fail(unavailable("not committed within " + timeoutMs + " ms")));
    attempt(p);
    return promise.future();
  }

  /** This pod applied {@code proposal}, one of its own: its caller gets {@code result}. */
  void applied(Proposal proposal, Object result) {
    Pending p = pending.get(proposal.requestId());
    if (p != null) {
      metrics.commitLatency(System.nanoTime() - p.startNanos);
      p.complete(result);
    }
  }

  /** A new status: tracks how long there has been no leader, and follows a new one. */
  void statusChanged(BackendStatus status) {
    String leader = status.leader();
    if (leader == null && leaderlessSince == 0) {
      leaderlessSince = System.currentTimeMillis();
    } else if (leader != null) {
      leaderlessSince = 0;
    }
    if (leader != null && status.available()) {
      // proposals waiting on a former leader go to the new one now, not after their timeout
      for (Pending p : new ArrayList<>(pending.values())) {
        if (p.forwardedTo != null && !p.forwardedTo.equals(leader)) {
          attempt(p);
        }
      }
    }
  }

  /** Fails every waiting proposal (the member is gone or stopping). */
  void failAll(String why) {
    for (Pending p : new ArrayList<>(pending.values())) {
      p.fail(unavailable(why));
    }
  }

  /**
   * True while the group has been leaderless for less than two election timeouts: an election is
   * probably about to end. Longer means no majority is reachable: fail fast.
   */
  private boolean electionMayBeRunning() {
    long since = leaderlessSince;
    return since > 0 && System.currentTimeMillis() - since < 2 * electionTimeoutMs;
  }

  private void attempt(Pending p) {
    if (p.done) {
      return;
    }
    int n = ++p.attempt; // answers to an earlier attempt are ignored
    p.forwardedTo = null;
    String refusal = consensus.refusal();
    if (refusal != null) {
      p.fail(unavailable(refusal));
      return;
    }
    BackendStatus s = consensus.status();
    if (s.leader() == null && electionMayBeRunning()) {
      // a leader change (e.g. a handover) takes a few ms: wait for it rather than fail
      vertx.setTimer(RETRY_DELAY_MS, t -> consensus.refresh().onComplete(x -> attempt(p)));
      return;
    }
    if (s.leader() == null || !s.available()) {
      p.fail(unavailable(s.reason() == null ? "no leader" : s.reason()));
      return;
    }
    if (s.leader().equals(node)) {
      consensus
          .replicate(p.proposal)
          .onComplete(
              ar -> {
                if (ar.failed() && p.attempt == n) {
                  retryOrFail(p, ar.cause());
                }
              });
      return;
    }
    p.forwardedTo = s.leader();
    consensus
        .forward(s.leader(), RaftCodec.encodeProposal(p.proposal))
        .onComplete(
            ar -> {
              if (p.attempt != n) {
                return;
              }
              if (ar.failed()
                  && ar.cause() instanceof ReplyException re
                  && re.failureType() == ReplyFailure.NO_HANDLERS) {
                retryOrFail(p, ar.cause()); // the leader's pod just went away
              } else if (ar.failed()) {
                p.fail(
                    unavailable(
                        "leader " + s.leader() + " did not answer: " + ar.cause().getMessage()));
              } else if (!ar.result().getBoolean("ok", false)) {
                retryOrFail(p, new IllegalStateException(ar.result().getString("error")));
              }
            });
  }

  /** Retries after a leader change, else fails. */
  private void retryOrFail(Pending p, Throwable cause) {
    if (p.done) {
      return;
    }
    vertx.setTimer(
        RETRY_DELAY_MS,
        t ->
            consensus
                .refresh()
                .onComplete(
                    x -> {
                      BackendStatus s = consensus.status();
                      if (!p.done
                          && ((s.leader() != null && s.available()) || electionMayBeRunning())) {
                        attempt(p);
                      } else {
                        p.fail(unavailable("no leader: " + cause.getMessage()));
                      }
                    }));
  }

  private ChatException unavailable(String why) {
    metrics.unavailable();
    return new ChatException("UNAVAILABLE", why, true);
  }

  /** A proposal waiting for its local apply. */
  private final class Pending {
    final Promise<Object> promise;
    final long startNanos = System.nanoTime();
    final Proposal proposal;
    long timer = -1;
    boolean done;
    int attempt;

    /** The leader the current attempt was forwarded to, null when not forwarded. */
    String forwardedTo;

    Pending(Promise<Object> promise, Proposal proposal) {
      this.promise = promise;
      this.proposal = proposal;
    }

    void complete(Object result) {
      if (finish()) {
        promise.complete(result);
      }
    }

    void fail(Throwable error) {
      if (finish()) {
        promise.fail(error);
      }
    }

    private boolean finish() {
      if (done) {
        return false;
      }
      done = true;
      pending.remove(proposal.requestId());
      vertx.cancelTimer(timer);
      return true;
    }
  }
}
