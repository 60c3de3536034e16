package io.kubechat.pod.chat;

/**
 * What a quorum-loss recovery did: the group it re-formed from this pod's copy of the state, and
 * the log index that copy had reached (entries the former group committed after it are lost).
 *
 * @param formerGroup the consensus group that had lost its quorum
 * @param formerTerm the last term this pod knew in it
 * @param formerCommitIndex the commit index this pod knew in it
 * @param recoveredIndex the last entry of the former group in the recovered state
 * @param group the new consensus group, formed by this pod
 * @param chatGroups how many chat groups were carried over (each with a new epoch)
 */
public record RecoveryReport(
    String formerGroup,
    long formerTerm,
    long formerCommitIndex,
    long recoveredIndex,
    String group,
    int chatGroups) {}
