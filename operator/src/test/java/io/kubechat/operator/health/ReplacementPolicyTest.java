package io.kubechat.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ReplacementPolicyTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final Duration LIMIT = Duration.ofSeconds(60);

  static PodFacts pod(int ordinal, String phase, boolean ready) {
    return new PodFacts(
        "c-" + ordinal,
        ordinal,
        phase,
        ready,
        false,
        null,
        NOW.minusSeconds(600),
        ready ? null : NOW.minusSeconds(1),
        PodFacts.NodeState.PRESENT,
        false,
        "h",
        Optional.empty(),
        0);
  }

  static PodFacts with(
      PodFacts p,
      PodFacts.NodeState node,
      Instant started,
      Instant notReadySince,
      Optional<Duration> dead,
      boolean terminating) {
    return new PodFacts(
        p.name(),
        p.ordinal(),
        p.phase(),
        p.ready(),
        terminating,
        terminating ? NOW : null,
        started,
        notReadySince,
        node,
        p.leader(),
        p.specHash(),
        dead,
        p.restarts());
  }

  @Test
  void failedAndSucceededPodsAreReplaced() {
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), pod(1, "Running", true), pod(2, "Failed", false)),
                3,
                LIMIT,
                1,
                NOW))
        .extracting(Replacement::pod, Replacement::reason, Replacement::force)
        .containsExactly(Tuple.tuple("c-2", "PodFailed", false));
    assertThat(
            ReplacementPolicy.decide(
                List.of(
                    pod(0, "Running", true), pod(1, "Succeeded", false), pod(2, "Running", true)),
                3,
                LIMIT,
                1,
                NOW))
        .extracting(Replacement::reason)
        .containsExactly("PodSucceeded");
  }

  @Test
  void lostNodeAndUnknownPhaseAreReplaced() {
    PodFacts lost =
        with(
            pod(1, "Running", true),
            PodFacts.NodeState.GONE,
            NOW.minusSeconds(600),
            null,
            Optional.empty(),
            false);
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), lost, pod(2, "Running", true)), 3, LIMIT, 1, NOW))
        .extracting(Replacement::reason, Replacement::force)
        .containsExactly(Tuple.tuple("NodeLost", true));
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), pod(1, "Unknown", false), pod(2, "Running", true)),
                3,
                LIMIT,
                1,
                NOW))
        .extracting(Replacement::reason, Replacement::force)
        .containsExactly(Tuple.tuple("PodUnknown", true));
  }

  @Test
  void notReadyLongerThanTheLimitIsReplacedButNotBefore() {
    PodFacts longNotReady =
        with(
            pod(2, "Running", false),
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            NOW.minusSeconds(61),
            Optional.empty(),
            false);
    PodFacts briefly =
        with(
            pod(2, "Running", false),
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            NOW.minusSeconds(59),
            Optional.empty(),
            false);
    PodFacts young =
        with(
            pod(2, "Pending", false),
            PodFacts.NodeState.UNKNOWN,
            NOW.minusSeconds(30),
            null,
            Optional.empty(),
            false);
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), pod(1, "Running", true), longNotReady),
                3,
                LIMIT,
                1,
                NOW))
        .extracting(Replacement::reason)
        .containsExactly("NotReady");
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), pod(1, "Running", true), briefly),
                3,
                LIMIT,
                1,
                NOW))
        .isEmpty();
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), pod(1, "Running", true), young), 3, LIMIT, 1, NOW))
        .isEmpty();
  }

  @Test
  void reportedDeadLongEnoughIsReplacedEvenIfKubeletSaysReady() {
    PodFacts dead =
        with(
            pod(1, "Running", true),
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            null,
            Optional.of(Duration.ofSeconds(70)),
            false);
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), dead, pod(2, "Running", true)), 3, LIMIT, 1, NOW))
        .extracting(Replacement::reason)
        .containsExactly("ReportedDead");
    PodFacts notLongEnough =
        with(
            dead,
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            null,
            Optional.of(Duration.ofSeconds(10)),
            false);
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), notLongEnough, pod(2, "Running", true)),
                3,
                LIMIT,
                1,
                NOW))
        .isEmpty();
  }

  @Test
  void neverMoreThanMaxConcurrentReplacements() {
    List<PodFacts> two =
        List.of(
            pod(0, "Running", true),
            pod(1, "Failed", false),
            pod(2, "Failed", false),
            pod(3, "Running", true),
            pod(4, "Running", true));
    assertThat(ReplacementPolicy.decide(two, 5, LIMIT, 1, NOW))
        .extracting(Replacement::pod)
        .containsExactly("c-1");
    assertThat(ReplacementPolicy.decide(two, 5, LIMIT, 2, NOW))
        .extracting(Replacement::pod)
        .containsExactly("c-1", "c-2");
  }

  @Test
  void aReplacementInFlightBlocksTheNext() {
    PodFacts terminating =
        with(
            pod(1, "Running", false),
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            NOW.minusSeconds(1),
            Optional.empty(),
            true);
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), terminating, pod(2, "Failed", false)),
                3,
                LIMIT,
                1,
                NOW))
        .isEmpty();
    PodFacts starting =
        with(
            pod(1, "Pending", false),
            PodFacts.NodeState.UNKNOWN,
            NOW.minusSeconds(5),
            null,
            Optional.empty(),
            false);
    assertThat(
            ReplacementPolicy.decide(
                List.of(pod(0, "Running", true), starting, pod(2, "Failed", false)),
                3,
                LIMIT,
                1,
                NOW))
        .isEmpty();
  }

  @Test
  void neverTheLastReadyMajority() {
    // Two of three ready; replacing a ready one (reported dead) would leave one ready of three.
    PodFacts dead =
        with(
            pod(0, "Running", true),
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            null,
            Optional.of(Duration.ofSeconds(70)),
            false);
    PodFacts notReady =
        with(
            pod(2, "Running", false),
            PodFacts.NodeState.PRESENT,
            NOW.minusSeconds(600),
            NOW.minusSeconds(5),
            Optional.empty(),
            false);
    assertThat(
            ReplacementPolicy.decide(
                List.of(dead, pod(1, "Running", true), notReady), 3, LIMIT, 3, NOW))
        .isEmpty();
  }
}
