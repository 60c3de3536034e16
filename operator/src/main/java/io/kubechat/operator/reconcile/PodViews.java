package io.kubechat.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.MemberStatus;
import io.kubechat.operator.health.PodFacts;
import io.kubechat.operator.resources.Names;
import io.kubechat.operator.status.LeaderView;
import io.kubechat.operator.status.PeerViews;
import io.kubechat.operator.status.PodObservation;
import io.kubechat.operator.status.PodStatusReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads pods and the poller's observations into what the decisions and the status need: the facts
 * per pod, the member rows, readiness counts and the addresses to poll.
 */
final class PodViews {
  private PodViews() {}

  static PodFacts facts(
      ChatCluster cc,
      NodeWatch nodes,
      Pod p,
      Map<String, PodObservation> observed,
      Map<String, PodStatusReport> reachable,
      LeaderView leader,
      Instant now) {
    String name = p.getMetadata().getName();
    Optional<String> incarnation =
        Optional.ofNullable(observed.get(name))
            .flatMap(PodObservation::report)
            .map(PodStatusReport::incarnation);
    PeerViews.View peers = PeerViews.of(name, incarnation, reachable);
    var st = p.getStatus();
    Instant created = parse(p.getMetadata().getCreationTimestamp()).orElse(now);
    Instant started =
        Optional.ofNullable(st).map(s -> s.getStartTime()).flatMap(PodViews::parse).orElse(created);
    Optional<PodCondition> readyCond = readyCondition(p);
    boolean ready = isReady(p);
    Instant notReadySince =
        ready
            ? null
            : readyCond
                .map(PodCondition::getLastTransitionTime)
                .flatMap(PodViews::parse)
                .orElse(started);
    // Until a pod has answered once, the cluster cannot have reported this incarnation DEAD.
    Optional<Duration> deadFor = incarnation.isPresent() ? peers.deadFor() : Optional.empty();
    return new PodFacts(
        name,
        Names.ordinal(cc, name).getAsInt(),
        Optional.ofNullable(st).map(s -> s.getPhase()).orElse("Pending"),
        ready,
        p.getMetadata().getDeletionTimestamp() != null,
        parse(p.getMetadata().getDeletionTimestamp()).orElse(null),
        started,
        notReadySince,
        nodes.state(p.getSpec() == null ? null : p.getSpec().getNodeName()),
        leader.leader().map(name::equals).orElse(false),
        Optional.ofNullable(p.getMetadata().getAnnotations())
            .map(a -> a.get(Names.SPEC_HASH_ANNOTATION))
            .orElse(""),
        deadFor,
        restarts(p));
  }

  static List<MemberStatus> members(
      List<Pod> active,
      Map<String, PodObservation> observed,
      Map<String, PodStatusReport> reachable,
      LeaderView leader) {
    List<MemberStatus> out = new ArrayList<>();
    for (Pod p : active) {
      String name = p.getMetadata().getName();
      Optional<PodObservation> obs = Optional.ofNullable(observed.get(name));
      Optional<PodStatusReport> own = obs.flatMap(PodObservation::current);
      Optional<String> incarnation =
          obs.flatMap(PodObservation::report).map(PodStatusReport::incarnation);
      PeerViews.View peers = PeerViews.of(name, incarnation, reachable);
      boolean ready = isReady(p);
      MemberStatus m = new MemberStatus();
      m.setPod(name);
      m.setRole(own.map(PodStatusReport::role).orElse(null));
      m.setReady(ready);
      m.setIncarnation(incarnation.orElse(null));
      m.setState(peers.state());
      m.setRestarts(restarts(p));
      String problem = null;
      if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
        problem =
            "no pod IP yet (phase "
                + Optional.ofNullable(p.getStatus()).map(s -> s.getPhase()).orElse("Pending")
                + ")";
      } else if (own.isEmpty()) {
        problem = obs.map(PodObservation::error).orElse("not polled yet");
      } else if ("SUSPECT".equals(peers.state()) || "DEAD".equals(peers.state())) {
        problem = "other members report it " + peers.state();
      } else if (!ready) {
        problem = "not ready";
      }
      m.setHealthy(problem == null);
      m.setMessage(problem);
      out.add(m);
    }
    return out;
  }

  /**
   * Whether every pod with an address has been polled there by this process. Until then the
   * operator knows nothing of roles (an operator that just started has an empty cache).
   */
  static boolean observedAll(Map<String, String> addresses, Map<String, PodObservation> observed) {
    return addresses.entrySet().stream()
        .allMatch(
            a ->
                Optional.ofNullable(observed.get(a.getKey()))
                    .map(o -> o.address().equals(a.getValue()))
                    .orElse(false));
  }

  /**
   * Pods that have not joined yet: not ready, or (with consensus) not a voter by their own report
   * (a learner, a candidate, no role yet). Only pods younger than {@code unhealthyAfter} count, so
   * that a scale-up waits for a batch at most that long; older ones are the replacement rule's.
   */
  static Set<String> joining(
      List<PodFacts> facts,
      Map<String, PodStatusReport> reachable,
      Duration unhealthyAfter,
      Instant now) {
    return facts.stream()
        .filter(f -> !f.terminating() && f.age(now).compareTo(unhealthyAfter) < 0)
        .filter(
            f ->
                !f.ready()
                    || Optional.ofNullable(reachable.get(f.name()))
                        .map(r -> r.consensusEnabled() && !VOTER_ROLES.contains(r.role()))
                        .orElse(false))
        .map(PodFacts::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static final Set<String> VOTER_ROLES = Set.of("LEADER", "FOLLOWER");

  /** Each pod's admin address (ip:9090), where the poller reads its /status. */
  static Map<String, String> addresses(List<Pod> active) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Pod p : active) {
      String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
      if (ip != null && !ip.isBlank()) {
        m.put(
            p.getMetadata().getName(),
            (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + Names.ADMIN_PORT);
      }
    }
    return m;
  }

  static int countReady(List<Pod> active) {
    return (int) active.stream().filter(PodViews::isReady).count();
  }

  static List<String> notReady(List<Pod> active) {
    return active.stream()
        .filter(p -> !isReady(p))
        .map(
            p ->
                p.getMetadata().getName()
                    + " "
                    + Optional.ofNullable(p.getStatus()).map(s -> s.getPhase()).orElse("Pending"))
        .toList();
  }

  static boolean isReady(Pod p) {
    return readyCondition(p).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Optional<PodCondition> readyCondition(Pod p) {
    return p.getStatus() == null || p.getStatus().getConditions() == null
        ? Optional.empty()
        : p.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst();
  }

  private static int restarts(Pod p) {
    return p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        ? 0
        : p.getStatus().getContainerStatuses().stream()
            .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
            .sum();
  }

  private static Optional<Instant> parse(String timestamp) {
    try {
      return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The pods that may still hold their consensus member, name to UID: every pod that exists
   * (terminating ones too), except pods that failed or exited for good when their data directory is
   * an emptyDir, which is lost with them (with a claim, the replacement restores the member).
   */
  public static Map<String, String> holdingMembers(ChatCluster cc, List<Pod> owned) {
    boolean claims = cc.getSpec().getStorage() != null;
    return owned.stream()
        .filter(p -> claims || !terminal(p))
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }

  private static boolean terminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }
}
