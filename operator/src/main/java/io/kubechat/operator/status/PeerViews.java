package io.kubechat.operator.status;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the other members say about one pod, from their membership tables: the worst state any
 * reporter gives it and since how long, for the pod's current incarnation only (a recreated pod is
 * a new member and must not inherit its predecessor's DEAD).
 */
public final class PeerViews {
  private static final List<String> SEVERITY = List.of("ALIVE", "LEFT", "SUSPECT", "DEAD");

  private PeerViews() {}

  /**
   * How the peers see one pod.
   *
   * @param state worst state reported, or null when nobody reports it
   * @param deadFor how long a majority of the reporters has not heard from it, when a majority
   *     reports it DEAD
   */
  public record View(String state, Optional<Duration> deadFor) {}

  public static View of(
      String pod, Optional<String> incarnation, Map<String, PodStatusReport> reachable) {
    String worst = null;
    int reporters = 0;
    int dead = 0;
    long minDeadMillis = Long.MAX_VALUE;
    for (Map.Entry<String, PodStatusReport> e : reachable.entrySet()) {
      if (e.getKey().equals(pod)) {
        continue;
      }
      reporters++;
      for (PodStatusReport.Member m : e.getValue().members()) {
        if (!pod.equals(m.node())
            || (incarnation.isPresent()
                && m.incarnation() != null
                && !incarnation.get().equals(m.incarnation()))) {
          continue;
        }
        if (worst == null || SEVERITY.indexOf(m.state()) > SEVERITY.indexOf(worst)) {
          worst = m.state();
        }
        if ("DEAD".equals(m.state())) {
          dead++;
          minDeadMillis = Math.min(minDeadMillis, m.lastSeenMillisAgo());
        }
      }
    }
    Optional<Duration> deadFor =
        dead > 0 && dead * 2 > reporters
            ? Optional.of(Duration.ofMillis(minDeadMillis))
            : Optional.empty();
    return new View(worst, deadFor);
  }

  /**
   * Members that some reachable pod still reports ALIVE or SUSPECT although no such pod exists:
   * removed pods that have not left the group yet.
   */
  public static Set<String> notLeft(
      Set<String> existingPods, Map<String, PodStatusReport> reachable) {
    Set<String> out = new HashSet<>();
    for (PodStatusReport r : reachable.values()) {
      for (PodStatusReport.Member m : r.members()) {
        if (!existingPods.contains(m.node())
            && ("ALIVE".equals(m.state()) || "SUSPECT".equals(m.state()))) {
          out.add(m.node());
        }
      }
    }
    return out;
  }
}
