package io.kubechat.operator.recovery;

/**
 * How a recovery ended: {@code group} is the new consensus group (null when it failed); {@code
 * message} names the survivor, the log index it recovered from and what may have been lost, for the
 * Event and the condition.
 */
public record RecoveryOutcome(QuorumLoss loss, boolean recovered, String group, String message) {

  static RecoveryOutcome failed(QuorumLoss loss, String why) {
    return new RecoveryOutcome(
        loss, false, null, "quorum recovery from " + loss.survivor() + " failed: " + why);
  }

  static RecoveryOutcome recovered(
      QuorumLoss loss, String group, long recoveredIndex, long formerCommitIndex, int chatGroups) {
    return new RecoveryOutcome(
        loss,
        true,
        group,
        "re-formed the consensus group as "
            + group
            + " from "
            + loss.survivor()
            + " at log index "
            + recoveredIndex
            + " (it knew commit index "
            + formerCommitIndex
            + " of group "
            + loss.group()
            + "; voters "
            + loss.gone()
            + " were gone): entries the former group committed after index "
            + recoveredIndex
            + " may be lost; "
            + chatGroups
            + " chat groups carried over with new epochs (clients resume with a reset)");
  }
}
