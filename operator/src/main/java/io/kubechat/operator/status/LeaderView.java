package io.kubechat.operator.status;

import java.util.Optional;

/**
 * What the operator concludes about the cluster's leader.
 *
 * @param leader the leader pod, present only when {@code outcome == ELECTED}
 * @param term the leader's term, or the highest term seen when there is no leader
 * @param outcome why there is or is not a leader
 * @param message a sentence a person can act on
 */
public record LeaderView(Optional<String> leader, long term, Outcome outcome, String message) {

  /** Outcomes; each maps to a LeaderElected condition reason. */
  public enum Outcome {
    ELECTED("Elected"),
    CONSENSUS_DISABLED("ConsensusDisabled"),
    NO_LEADER("NoLeader"),
    SPLIT_VIEW("SplitView"),
    NO_REACHABLE_PODS("NoReachablePods");

    private final String reason;

    Outcome(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  public boolean elected() {
    return outcome == Outcome.ELECTED;
  }
}
