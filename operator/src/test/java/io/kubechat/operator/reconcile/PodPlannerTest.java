package io.kubechat.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.operator.health.PodFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodPlannerTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  static final Duration LIMIT = Duration.ofSeconds(60);
  static final Duration STUCK = Duration.ofSeconds(90);

  static PodFacts pod(int ordinal, boolean ready, boolean leader, String hash) {
    return new PodFacts(
        "c-" + ordinal,
        ordinal,
        "Running",
        ready,
        false,
        null,
        NOW.minusSeconds(600),
        ready ? null : NOW.minusSeconds(1),
        PodFacts.NodeState.PRESENT,
        leader,
        hash,
        Optional.empty(),
        0);
  }

  static PodFacts terminating(int ordinal) {
    return new PodFacts(
        "c-" + ordinal,
        ordinal,
        "Running",
        false,
        true,
        NOW.minusSeconds(5),
        NOW.minusSeconds(600),
        NOW.minusSeconds(5),
        PodFacts.NodeState.PRESENT,
        false,
        "h",
        Optional.empty(),
        0);
  }

  static PodPlan plan(List<PodFacts> pods, int desired, boolean formed, Set<String> notLeft) {
    return plan(pods, desired, formed, notLeft, Set.of());
  }

  static PodPlan plan(
      List<PodFacts> pods, int desired, boolean formed, Set<String> notLeft, Set<String> joining) {
    return PodPlanner.plan(pods, desired, "h", formed, LIMIT, 1, STUCK, notLeft, joining, NOW);
  }

  @Test
  void aNewClusterCreatesAllPodsAndTheFirstBootstraps() {
    PodPlan p = plan(List.of(), 3, false, Set.of());
    assertThat(p.create()).containsExactly(0, 1, 2);
    assertThat(p.bootstrap()).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void aLargeScaleUpAddsAtMostThreeJoiningPodsAtATime() {
    PodPlan first = plan(List.of(), 9, false, Set.of());
    assertThat(first.create()).containsExactly(0, 1, 2);
    assertThat(first.activity()).contains("6 more later");

    List<PodFacts> three =
        List.of(pod(0, true, true, "h"), pod(1, true, false, "h"), pod(2, false, false, "h"));
    PodPlan waiting = plan(three, 9, true, Set.of(), Set.of("c-1", "c-2"));
    assertThat(waiting.create()).containsExactly(3);
    assertThat(plan(three, 9, true, Set.of(), Set.of("c-0", "c-1", "c-2")).create()).isEmpty();
    assertThat(plan(three, 9, true, Set.of(), Set.of("c-0", "c-1", "c-2")).activity())
        .isEqualTo(
            "scaling up to 9 in batches of 3: 3 of 9 pods, waiting for c-0, c-1, c-2 to become"
                + " voters");
    assertThat(plan(three, 9, true, Set.of(), Set.of()).create()).containsExactly(3, 4, 5);
  }

  @Test
  void aFormedClusterNeverBootstraps() {
    PodPlan p = plan(List.of(pod(1, true, true, "h"), pod(2, true, false, "h")), 3, true, Set.of());
    assertThat(p.create()).containsExactly(0);
    assertThat(p.bootstrap()).isEmpty();
  }

  @Test
  void scaleUpUsesNewOrdinals() {
    PodPlan p =
        plan(
            List.of(pod(0, true, true, "h"), pod(1, true, false, "h"), pod(2, true, false, "h")),
            5,
            true,
            Set.of());
    assertThat(p.create()).containsExactly(3, 4);
  }

  @Test
  void noNewPodWhileAPodIsTerminating() {
    PodPlan p =
        plan(
            List.of(pod(0, true, true, "h"), terminating(1), pod(2, true, false, "h")),
            3,
            true,
            Set.of());
    assertThat(p.create()).isEmpty();
    assertThat(p.activity()).contains("waiting for c-1 to terminate");
  }

  @Test
  void scaleDownRemovesTheHighestNonLeaderOneAtATime() {
    List<PodFacts> five =
        new ArrayList<>(
            List.of(
                pod(0, true, false, "h"),
                pod(1, true, false, "h"),
                pod(2, true, false, "h"),
                pod(3, true, false, "h"),
                pod(4, true, true, "h")));
    PodPlan p = plan(five, 3, true, Set.of());
    assertThat(p.delete())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pod()).isEqualTo("c-3");
              assertThat(a.kind()).isEqualTo(PodAction.Kind.SCALE_DOWN);
            });
  }

  @Test
  void scaleDownWaitsUntilTheRemovedPodHasLeftTheGroup() {
    List<PodFacts> four =
        List.of(
            pod(0, true, false, "h"),
            pod(1, true, false, "h"),
            pod(2, true, false, "h"),
            pod(4, true, true, "h"));
    PodPlan waiting = plan(four, 3, true, Set.of("c-3"));
    assertThat(waiting.delete()).isEmpty();
    assertThat(waiting.activity()).contains("waiting for c-3 to leave the group");
    assertThat(plan(four, 3, true, Set.of()).delete())
        .extracting(PodAction::pod)
        .containsExactly("c-2");
    List<PodFacts> withTerminating =
        List.of(
            pod(0, true, false, "h"),
            pod(1, true, false, "h"),
            pod(2, true, false, "h"),
            terminating(3),
            pod(4, true, true, "h"));
    assertThat(plan(withTerminating, 3, true, Set.of()).delete()).isEmpty();
  }

  @Test
  void rollingUpdateGoesFollowersFirstLeaderLastOnlyWhenAllReady() {
    List<PodFacts> pods =
        List.of(pod(0, true, true, "old"), pod(1, true, false, "old"), pod(2, true, false, "h"));
    assertThat(plan(pods, 3, true, Set.of()).delete())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.pod()).isEqualTo("c-1");
              assertThat(a.kind()).isEqualTo(PodAction.Kind.ROLL);
            });
    List<PodFacts> onlyLeader =
        List.of(pod(0, true, true, "old"), pod(1, true, false, "h"), pod(2, true, false, "h"));
    assertThat(plan(onlyLeader, 3, true, Set.of()).delete())
        .extracting(PodAction::pod)
        .containsExactly("c-0");
    List<PodFacts> notAllReady =
        List.of(pod(0, true, true, "old"), pod(1, false, false, "h"), pod(2, true, false, "h"));
    assertThat(plan(notAllReady, 3, true, Set.of()).delete()).isEmpty();
  }

  @Test
  void replacementComesBeforeScalingAndRolling() {
    PodFacts failed =
        new PodFacts(
            "c-1",
            1,
            "Failed",
            false,
            false,
            null,
            NOW.minusSeconds(600),
            NOW.minusSeconds(5),
            PodFacts.NodeState.PRESENT,
            false,
            "old",
            Optional.empty(),
            0);
    PodPlan p =
        plan(
            List.of(
                pod(0, true, true, "old"),
                failed,
                pod(2, true, false, "old"),
                pod(3, true, false, "old")),
            3,
            true,
            Set.of());
    assertThat(p.delete()).extracting(PodAction::kind).containsExactly(PodAction.Kind.REPLACE);
  }
}
