package io.kubechat.operator;

/** Raft's majority rule, which the PDB, leader derivation, replacements and phase all follow. */
public final class Quorum {
  private Quorum() {}

  /** The least number of members that is more than half of {@code members}. */
  public static int majority(int members) {
    return members / 2 + 1;
  }
}
