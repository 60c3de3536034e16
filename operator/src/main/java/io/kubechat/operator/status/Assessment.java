package io.kubechat.operator.status;

import io.kubechat.operator.Quorum;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase, formed flag and conditions of a cluster, decided from {@link ClusterFacts} alone.
 *
 * @param phase the phase
 * @param formed whether the group counts as formed from now on
 * @param conditions Ready, LeaderElected, Degraded and EvenReplicas (ReconcileSuccess is the
 *     reconciler's)
 */
public record Assessment(Phase phase, boolean formed, List<ConditionSpec> conditions) {

  public static Assessment of(ClusterFacts f) {
    LeaderView lv = f.leader();
    boolean leaderOk = lv.elected() || lv.outcome() == LeaderView.Outcome.CONSENSUS_DISABLED;
    String readiness = f.ready() + "/" + f.desired() + " pods ready";
    String notReady = f.notReady().isEmpty() ? "" : " (" + String.join("; ", f.notReady()) + ")";
    List<ConditionSpec> c = new ArrayList<>();
    c.add(leaderCondition(lv));

    if (f.invalidSpec() != null) {
      c.add(0, new ConditionSpec(ConditionSpec.READY, false, "InvalidSpec", f.invalidSpec()));
      c.add(
          new ConditionSpec(
              ConditionSpec.DEGRADED,
              f.wasFormed(),
              "InvalidSpec",
              "the spec is invalid; nothing is changed until it is fixed: " + f.invalidSpec()));
      return new Assessment(Phase.Failed, f.wasFormed(), c);
    }

    boolean formsNow =
        f.ready() >= f.majority()
            && (lv.elected()
                || (lv.outcome() == LeaderView.Outcome.CONSENSUS_DISABLED
                    && f.ready() >= f.desired()));
    boolean formed = f.wasFormed() || formsNow;

    Phase phase;
    ConditionSpec ready;
    ConditionSpec degraded;
    if (!formed) {
      phase = f.ready() == 0 ? Phase.Pending : Phase.Forming;
      String why = f.ready() == 0 ? "Pending" : "Forming";
      ready =
          new ConditionSpec(
              ConditionSpec.READY,
              false,
              why,
              readiness + notReady + "; waiting for the group to form: " + lv.message());
      degraded =
          new ConditionSpec(ConditionSpec.DEGRADED, false, why, "the group has not formed yet");
    } else if (f.ready() < f.majority()) {
      phase = Phase.Failed;
      String msg =
          readiness
              + ", fewer than the majority of "
              + f.majority()
              + notReady
              + "; chat is unavailable until a majority is back";
      ready = new ConditionSpec(ConditionSpec.READY, false, "QuorumLost", msg);
      degraded = new ConditionSpec(ConditionSpec.DEGRADED, true, "QuorumLost", msg);
    } else if (!leaderOk) {
      phase = Phase.Degraded;
      ready = new ConditionSpec(ConditionSpec.READY, false, lv.outcome().reason(), lv.message());
      degraded =
          new ConditionSpec(ConditionSpec.DEGRADED, true, lv.outcome().reason(), lv.message());
    } else if (f.ready() < f.desired() || f.existing() != f.desired() || f.activity() != null) {
      phase = Phase.Degraded;
      String why = f.activity() != null ? f.activity() : readiness + notReady;
      String reason = f.ready() < f.desired() ? "MembersUnavailable" : "Reconfiguring";
      ready = new ConditionSpec(ConditionSpec.READY, false, reason, readiness + notReady);
      degraded = new ConditionSpec(ConditionSpec.DEGRADED, true, reason, why);
    } else {
      phase = Phase.Ready;
      String msg =
          readiness
              + (lv.elected() ? ", leader " + lv.leader().get() + " at term " + lv.term() : "");
      ready = new ConditionSpec(ConditionSpec.READY, true, "ClusterReady", msg);
      degraded = new ConditionSpec(ConditionSpec.DEGRADED, false, "AllMembersReady", msg);
    }
    c.add(0, ready);
    c.add(degraded);
    c.add(evenReplicas(f.desired()));
    return new Assessment(phase, formed, c);
  }

  /** An even count tolerates no more failures than the odd count below it, at a higher cost. */
  static ConditionSpec evenReplicas(int desired) {
    if (desired % 2 != 0) {
      return new ConditionSpec(
          ConditionSpec.EVEN_REPLICAS,
          false,
          "OddReplicas",
          desired + " pods tolerate " + (desired - Quorum.majority(desired)) + " failure(s)");
    }
    return new ConditionSpec(
        ConditionSpec.EVEN_REPLICAS,
        true,
        "EvenReplicas",
        "spec.replicas "
            + desired
            + " is even: a majority is "
            + Quorum.majority(desired)
            + ", so it tolerates "
            + (desired - Quorum.majority(desired))
            + " failure(s), no more than "
            + (desired - 1)
            + " pods would; use "
            + (desired + 1)
            + " or "
            + (desired - 1));
  }

  private static ConditionSpec leaderCondition(LeaderView lv) {
    return new ConditionSpec(
        ConditionSpec.LEADER_ELECTED, lv.elected(), lv.outcome().reason(), lv.message());
  }
}
