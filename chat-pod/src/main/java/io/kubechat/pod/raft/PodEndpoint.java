package io.kubechat.pod.raft;

import io.microraft.RaftEndpoint;

/**
 * A Raft member: one incarnation of a pod. A pod recreated with the same name has a new incarnation
 * and so is a different member, which never inherits the old one's vote. A container restarted in
 * place with its data directory keeps its incarnation, its vote and its log (see {@code
 * MemberDirectory}).
 */
public record PodEndpoint(String node, String incarnation) implements RaftEndpoint {

  private static final char SEPARATOR = '/';

  public PodEndpoint {
    if (node.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("node name must not contain '/': " + node);
    }
  }

  /** Parses {@link #getId()}. */
  public static PodEndpoint parse(String id) {
    int i = id.indexOf(SEPARATOR);
    if (i <= 0) {
      throw new IllegalArgumentException("not an endpoint id: " + id);
    }
    return new PodEndpoint(id.substring(0, i), id.substring(i + 1));
  }

  /** Marks a re-join of the same process (see {@link #rejoined(int)}). */
  private static final char REJOIN = '~';

  /**
   * The same pod process joining again after the leader removed it: a new member identity (the log
   * still holds the removal of the former one), same pod incarnation.
   */
  public PodEndpoint rejoined(int count) {
    return new PodEndpoint(node, podIncarnation() + REJOIN + count);
  }

  /** How many times this member joined again (0 for the first membership). */
  public int rejoins() {
    int i = incarnation.indexOf(REJOIN);
    return i < 0 ? 0 : Integer.parseInt(incarnation.substring(i + 1));
  }

  /** The pod's incarnation id as its heartbeats carry it. */
  public String podIncarnation() {
    int i = incarnation.indexOf(REJOIN);
    return i < 0 ? incarnation : incarnation.substring(0, i);
  }

  /** {@code node/incarnation}. */
  @Override
  public String getId() {
    return node + SEPARATOR + incarnation;
  }

  @Override
  public String toString() {
    return getId();
  }
}
