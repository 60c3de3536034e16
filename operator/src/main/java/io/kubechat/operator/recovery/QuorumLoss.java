package io.kubechat.operator.recovery;

import java.util.List;

/**
 * A consensus group whose voters that are still present make up less than a majority, judged from
 * the API server (which pods exist) and the pods' own reports.
 *
 * @param group the consensus group id the surviving members report
 * @param voters the group's voters (pod names)
 * @param gone the voters that are gone for good
 * @param survivor the most advanced surviving voter (highest last log term, then index)
 * @param address the survivor's admin {@code host:port}
 * @param lastLogTerm the survivor's last log term
 * @param lastLogIndex the survivor's last log index
 */
public record QuorumLoss(
    String group,
    List<String> voters,
    List<String> gone,
    String survivor,
    String address,
    long lastLogTerm,
    long lastLogIndex) {

  public QuorumLoss {
    voters = List.copyOf(voters);
    gone = List.copyOf(gone);
  }

  /** The voters that are still present. */
  public List<String> survivors() {
    return voters.stream().filter(v -> !gone.contains(v)).toList();
  }

  /** What the operator does about it, for the event, the condition and the log. */
  public String recovering() {
    return describe() + "; re-forming it from " + survivor;
  }

  /** One line for events and conditions. */
  public String describe() {
    return "the consensus group lost its quorum for good: voters "
        + gone
        + " of "
        + voters
        + " are gone (their pods were deleted or restarted without their data); the most"
        + " advanced survivor is "
        + survivor
        + " (last log term "
        + lastLogTerm
        + ", index "
        + lastLogIndex
        + ")";
  }
}
