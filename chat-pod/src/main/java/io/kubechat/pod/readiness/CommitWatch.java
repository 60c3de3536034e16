package io.kubechat.pod.readiness;

/**
 * Tracks how long this pod has been unable to commit (its consensus group unavailable: an election,
 * a lost quorum, this pod cut off) and decides two things from it:
 *
 * <ul>
 *   <li>readiness: an ordinary election must not take every pod out of the client Service, so the
 *       pod stays ready for {@code readyGraceMs} of unavailability (sends are refused as retryable
 *       meanwhile, as always), then turns not ready;
 *   <li>moving clients: once per episode, after {@code moveAfterMs}, the pod asks its clients to
 *       reconnect to another pod (close code 4007 MOVE), unless every peer it hears says it cannot
 *       commit either (the whole cluster waits for a quorum, and moving would only churn).
 * </ul>
 *
 * Confined to the pod's context; times are milliseconds on one monotonic clock.
 */
public final class CommitWatch {
  private final long readyGraceMs;
  private final long moveAfterMs;
  private long unavailableSince = -1;
  private boolean moved;

  /**
   * @param readyGraceMs how long an unavailable pod stays ready; 0 turns it not ready at once
   * @param moveAfterMs when an unavailable pod moves its clients; 0 never
   */
  public CommitWatch(long readyGraceMs, long moveAfterMs) {
    this.readyGraceMs = readyGraceMs;
    this.moveAfterMs = moveAfterMs;
  }

  /**
   * Records whether the pod can commit now; returns true when its clients should move now (at most
   * once per episode of unavailability).
   */
  public boolean observe(boolean available, boolean peersCannotCommit, long now) {
    if (available) {
      unavailableSince = -1;
      moved = false;
      return false;
    }
    if (unavailableSince < 0) {
      unavailableSince = now;
    }
    if (moved || moveAfterMs <= 0 || now - unavailableSince < moveAfterMs || peersCannotCommit) {
      return false;
    }
    moved = true;
    return true;
  }

  /** How long the pod has been unable to commit, 0 when it can. */
  public long unavailableFor(long now) {
    return unavailableSince < 0 ? 0 : now - unavailableSince;
  }

  /**
   * An unavailable pod stays ready: it has not been unavailable for longer than the readiness grace
   * (or that just began and was not observed yet).
   */
  public boolean withinReadyGrace(long now) {
    return readyGraceMs > 0 && (unavailableSince < 0 || now - unavailableSince < readyGraceMs);
  }
}
