package io.kubechat.pod.raft;

import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, on the leader, which Raft member to remove because its pod is gone, from the pod
 * heartbeat membership view:
 *
 * <ul>
 *   <li>a member whose incarnation was replaced (same pod name, another incarnation is ALIVE or
 *       SUSPECT) or that said goodbye (LEFT) is removed at once;
 *   <li>a member DEAD (or absent from the view) is removed once it has been so for the removal
 *       timeout, as seen by this leader;
 *   <li>a voter is only removed when the voters left, minus those gone, still form a majority.
 * </ul>
 *
 * <p>A new incarnation asking to join supersedes its former one at once ({@link #replacedBy}), even
 * before its heartbeats reach this leader: pod names are unique among running pods, so the old one
 * is gone for good, and removing it before the new one is added keeps the voter set small (a
 * transient four-voter set would need three live voters).
 *
 * <p>A member that answered this leader's Raft messages within the heartbeat timeout is alive
 * whatever the heartbeat table says: another process that claims its pod name (and so takes over
 * its row in the table) must not get a live member removed.
 *
 * <p>Not thread-safe: used from one Vert.x context.
 */
final class DeadMemberPolicy {

  private final long removalTimeoutMs;
  private final Map<PodEndpoint, Long> goneSince = new HashMap<>();

  DeadMemberPolicy(long removalTimeoutMs) {
    this.removalTimeoutMs = removalTimeoutMs;
  }

  enum Health {
    ALIVE,
    GONE_NOW,
    GONE
  }

  /**
   * The member to remove now, if any.
   *
   * @param answering the members that answered this leader within the heartbeat timeout
   */
  Optional<PodEndpoint> pick(
      long nowMs,
      PodEndpoint self,
      Collection<PodEndpoint> members,
      Collection<PodEndpoint> voters,
      List<MemberInfo> view,
      Set<PodEndpoint> answering) {
    goneSince.keySet().retainAll(members);
    Map<PodEndpoint, Health> health = new HashMap<>();
    for (PodEndpoint m : members) {
      Health h = m.equals(self) || answering.contains(m) ? Health.ALIVE : health(m, view);
      if (h == Health.ALIVE) {
        goneSince.remove(m);
      } else {
        goneSince.putIfAbsent(m, nowMs);
      }
      health.put(m, h);
    }
    for (PodEndpoint m : members) {
      Health h = health.get(m);
      boolean due =
          h == Health.GONE_NOW
              || (h == Health.GONE && nowMs - goneSince.get(m) >= removalTimeoutMs);
      if (due && safeToRemove(m, voters, health)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * The former incarnation of {@code joiner}'s pod, to remove before {@code joiner} is added, if it
   * is a member that the view does not show alive and removing it is safe.
   */
  Optional<PodEndpoint> replacedBy(
      PodEndpoint joiner,
      PodEndpoint self,
      Collection<PodEndpoint> members,
      Collection<PodEndpoint> voters,
      List<MemberInfo> view,
      Set<PodEndpoint> answering) {
    Map<PodEndpoint, Health> health = new HashMap<>();
    for (PodEndpoint m : members) {
      health.put(m, m.equals(self) || answering.contains(m) ? Health.ALIVE : health(m, view));
    }
    return members.stream()
        .filter(m -> m.node().equals(joiner.node()) && !m.equals(joiner) && !m.equals(self))
        .filter(m -> health.get(m) != Health.ALIVE)
        .filter(m -> safeToRemove(m, voters, health))
        .findFirst();
  }

  /** A learner always; a voter when the live voters left still form a majority of those left. */
  private static boolean safeToRemove(
      PodEndpoint m, Collection<PodEndpoint> voters, Map<PodEndpoint, Health> health) {
    if (!voters.contains(m)) {
      return true;
    }
    int remaining = voters.size() - 1;
    long alive = voters.stream().filter(v -> !v.equals(m) && health.get(v) == Health.ALIVE).count();
    return alive >= remaining / 2 + 1;
  }

  private static Health health(PodEndpoint m, List<MemberInfo> view) {
    Health result = Health.GONE;
    for (MemberInfo row : view) {
      if (!row.node().equals(m.node())) {
        continue;
      }
      boolean live = row.state() == MemberState.ALIVE || row.state() == MemberState.SUSPECT;
      boolean same = row.incarnation() == null || row.incarnation().equals(m.podIncarnation());
      if (same && live) {
        return Health.ALIVE;
      }
      if (!same && live) {
        result = Health.GONE_NOW; // the pod was recreated: this incarnation is gone for good
      } else if (same && row.state() == MemberState.LEFT) {
        result = Health.GONE_NOW;
      }
    }
    return result;
  }
}
