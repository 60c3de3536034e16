package io.kubechat.operator.recovery;

import io.kubechat.operator.status.ConditionSpec;
import java.util.Optional;

/** What a recovery step shows in the ChatCluster's {@code QuorumRecovered} condition. */
public final class RecoveryReporting {
  public static final String NEEDED = "RecoveryNeeded";

  private RecoveryReporting() {}

  /** The condition to set, or empty to keep the previous one. */
  public static Optional<ConditionSpec> condition(QuorumRecoverer.Step step) {
    return switch (step.kind()) {
      case NONE, WAITING -> Optional.empty();
      case NEEDED -> Optional.of(condition(false, NEEDED, manualInstructions(step.loss())));
      case STARTED, IN_FLIGHT ->
          Optional.of(condition(false, "Recovering", step.loss().recovering()));
      case ENDED ->
          Optional.of(
              condition(
                  step.outcome().recovered(),
                  step.outcome().recovered() ? "Recovered" : "RecoveryFailed",
                  step.outcome().message()));
    };
  }

  /** How a person starts the recovery when the operator must not (Manual mode). */
  public static String manualInstructions(QuorumLoss loss) {
    String port = loss.address().substring(loss.address().lastIndexOf(':') + 1);
    return loss.describe()
        + ". spec.quorumLossRecovery is Manual: once you are sure they will not come back, run"
        + " `kubectl port-forward pod/"
        + loss.survivor()
        + " "
        + port
        + "` and `curl -X POST http://127.0.0.1:"
        + port
        + "/admin/recover-quorum` (docs/operator.md)";
  }

  private static ConditionSpec condition(boolean status, String reason, String message) {
    return new ConditionSpec(ConditionSpec.QUORUM_RECOVERED, status, reason, message);
  }
}
