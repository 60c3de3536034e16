package io.kubechat.operator.recovery;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.kubechat.operator.crd.QuorumLossRecovery;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs the quorum-loss recovery of each cluster as a small state machine that the reconciler steps
 * on every pass, so that the reconciler never waits: a loss must last a grace period (the pods'
 * reports settle), then one asynchronous call goes to the survivor, and after an outcome the next
 * attempt waits a cooldown.
 */
public final class QuorumRecoverer {
  /** What this pass found; {@code loss} and {@code outcome} are null where they do not apply. */
  public record Step(Kind kind, QuorumLoss loss, RecoveryOutcome outcome) {
    /** Nothing to recover. */
    public static final Step NONE = new Step(Kind.NONE, null, null);

    /** A step that needs another pass soon. */
    public boolean busy() {
      return kind == Kind.WAITING || kind == Kind.STARTED || kind == Kind.IN_FLIGHT;
    }
  }

  /** The states a cluster's recovery goes through. */
  public enum Kind {
    /** No loss. */
    NONE,
    /** A loss within its grace period, or in the cooldown after an attempt. */
    WAITING,
    /** A loss in Manual mode: a person must start the recovery. */
    NEEDED,
    /** The call to the survivor went out in this pass. */
    STARTED,
    /** The call is under way. */
    IN_FLIGHT,
    /** The call ended in this pass; see the outcome. */
    ENDED
  }

  private final Function<QuorumLoss, CompletableFuture<RecoveryOutcome>> call;
  private final Duration grace;
  private final Duration cooldown;
  private final Map<ResourceID, Attempts> clusters = new ConcurrentHashMap<>();

  public QuorumRecoverer(
      Function<QuorumLoss, CompletableFuture<RecoveryOutcome>> call,
      Duration grace,
      Duration cooldown) {
    this.call = call;
    this.grace = grace;
    this.cooldown = cooldown;
  }

  /** One cluster's recovery state; changed only under its own lock. */
  private static final class Attempts {
    Instant lossSince;
    Instant quietUntil;
    QuorumLoss calling;
    CompletableFuture<RecoveryOutcome> inFlight;
  }

  public Step step(
      ResourceID cluster, Optional<QuorumLoss> loss, QuorumLossRecovery mode, Instant now) {
    Attempts a = clusters.computeIfAbsent(cluster, k -> new Attempts());
    synchronized (a) {
      if (a.inFlight != null) {
        if (!a.inFlight.isDone()) {
          return new Step(Kind.IN_FLIGHT, a.calling, null);
        }
        RecoveryOutcome outcome = a.inFlight.join();
        a.inFlight = null;
        a.lossSince = null;
        a.quietUntil = now.plus(cooldown);
        return new Step(Kind.ENDED, outcome.loss(), outcome);
      }
      if (loss.isEmpty()) {
        a.lossSince = null;
        return Step.NONE;
      }
      if (mode == QuorumLossRecovery.Manual) {
        return new Step(Kind.NEEDED, loss.get(), null);
      }
      if (a.quietUntil != null && now.isBefore(a.quietUntil)) {
        return new Step(Kind.WAITING, loss.get(), null);
      }
      if (a.lossSince == null) {
        a.lossSince = now;
      }
      if (now.isBefore(a.lossSince.plus(grace))) {
        return new Step(Kind.WAITING, loss.get(), null);
      }
      a.calling = loss.get();
      a.inFlight = call.apply(loss.get());
      return new Step(Kind.STARTED, loss.get(), null);
    }
  }

  /** The cluster is gone: drop its state (an answer still under way is ignored). */
  public void forget(ResourceID cluster) {
    clusters.remove(cluster);
  }
}
