package io.kubechat.pod.raft;

import io.microraft.RaftEndpoint;

/**
 * A Raft member: one incarnation of a pod. A pod recreated with the same name has a new incarnation
 * and so is a different member, which never inherits the old one's vote.
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
