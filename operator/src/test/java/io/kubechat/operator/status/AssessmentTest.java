package io.kubechat.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssessmentTest {
  static final LeaderView ELECTED =
      new LeaderView(Optional.of("c-1"), 4, LeaderView.Outcome.ELECTED, "c-1 leads");
  static final LeaderView NONE =
      new LeaderView(Optional.empty(), 0, LeaderView.Outcome.CONSENSUS_DISABLED, "role NONE");
  static final LeaderView NO_LEADER =
      new LeaderView(Optional.empty(), 5, LeaderView.Outcome.NO_LEADER, "electing");
  static final LeaderView SPLIT =
      new LeaderView(
          Optional.empty(), 5, LeaderView.Outcome.SPLIT_VIEW, "c-0 says c-0; c-1 says c-1");

  static ClusterFacts facts(
      int desired, int existing, int ready, LeaderView lv, boolean formed, String activity) {
    return new ClusterFacts(null, desired, existing, ready, List.of(), lv, formed, activity);
  }

  static ConditionSpec condition(Assessment a, String type) {
    return a.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void noPodReadyIsPending() {
    Assessment a = Assessment.of(facts(3, 3, 0, NO_LEADER, false, null));
    assertThat(a.phase()).isEqualTo(Phase.Pending);
    assertThat(a.formed()).isFalse();
    assertThat(condition(a, "Ready").status()).isFalse();
  }

  @Test
  void somePodsReadyWithoutLeaderIsForming() {
    Assessment a = Assessment.of(facts(3, 3, 2, NO_LEADER, false, null));
    assertThat(a.phase()).isEqualTo(Phase.Forming);
    assertThat(condition(a, "Ready").reason()).isEqualTo("Forming");
  }

  @Test
  void allReadyWithLeaderIsReadyAndFormed() {
    Assessment a = Assessment.of(facts(3, 3, 3, ELECTED, false, null));
    assertThat(a.phase()).isEqualTo(Phase.Ready);
    assertThat(a.formed()).isTrue();
    assertThat(condition(a, "Ready").status()).isTrue();
    assertThat(condition(a, "LeaderElected").status()).isTrue();
    assertThat(condition(a, "Degraded").status()).isFalse();
  }

  @Test
  void podsWithoutConsensusAreReadyWhenAllAreReady() {
    Assessment a = Assessment.of(facts(3, 3, 3, NONE, false, null));
    assertThat(a.phase()).isEqualTo(Phase.Ready);
    assertThat(condition(a, "LeaderElected").status()).isFalse();
    assertThat(condition(a, "LeaderElected").reason()).isEqualTo("ConsensusDisabled");
  }

  @Test
  void aFormedClusterMissingAPodIsDegraded() {
    Assessment a =
        Assessment.of(
            new ClusterFacts(
                null, 3, 3, 2, List.of("c-2 Failed"), ELECTED, true, "replacing [c-2]"));
    assertThat(a.phase()).isEqualTo(Phase.Degraded);
    assertThat(condition(a, "Degraded").status()).isTrue();
    assertThat(condition(a, "Degraded").reason()).isEqualTo("MembersUnavailable");
    assertThat(condition(a, "Ready").message()).contains("2/3 pods ready", "c-2 Failed");
  }

  @Test
  void aFormedClusterBelowMajorityIsFailedAndRecovers() {
    Assessment lost = Assessment.of(facts(3, 3, 1, NO_LEADER, true, null));
    assertThat(lost.phase()).isEqualTo(Phase.Failed);
    assertThat(condition(lost, "Ready").reason()).isEqualTo("QuorumLost");
    Assessment back = Assessment.of(facts(3, 3, 3, ELECTED, true, null));
    assertThat(back.phase()).as("no phase sticks").isEqualTo(Phase.Ready);
  }

  @Test
  void aSplitViewIsDegradedWithTheDetails() {
    Assessment a = Assessment.of(facts(3, 3, 3, SPLIT, true, null));
    assertThat(a.phase()).isEqualTo(Phase.Degraded);
    assertThat(condition(a, "LeaderElected").reason()).isEqualTo("SplitView");
    assertThat(condition(a, "Ready").message()).contains("c-0 says c-0");
  }

  @Test
  void scalingIsDegradedUntilDone() {
    Assessment a = Assessment.of(facts(5, 5, 3, ELECTED, true, "creating 2 pod(s) to reach 5"));
    assertThat(a.phase()).isEqualTo(Phase.Degraded);
    assertThat(condition(a, "Degraded").message()).contains("creating 2 pod(s)");
  }

  @Test
  void anInvalidSpecIsFailedWithReasonInvalidSpec() {
    Assessment a =
        Assessment.of(
            new ClusterFacts(
                "spec.replicas must be at least 1", 3, 3, 3, List.of(), ELECTED, true, null));
    assertThat(a.phase()).isEqualTo(Phase.Failed);
    assertThat(condition(a, "Ready").reason()).isEqualTo("InvalidSpec");
    assertThat(condition(a, "Ready").message()).contains("spec.replicas");
    assertThat(a.formed()).isTrue();
  }

  @Test
  void conditionTransitionTimeChangesOnlyWhenTheStatusFlips() {
    var t0 = Instant.parse("2026-01-01T00:00:00Z");
    var t1 = t0.plusSeconds(60);
    var first =
        Conditions.merge(
            List.of(), List.of(new ConditionSpec("Ready", false, "Forming", "a")), t0, 1L);
    var same =
        Conditions.merge(first, List.of(new ConditionSpec("Ready", false, "Pending", "b")), t1, 1L);
    assertThat(same.get(0).getLastTransitionTime()).isEqualTo(t0.toString());
    assertThat(same.get(0).getReason()).isEqualTo("Pending");
    var flipped =
        Conditions.merge(
            same, List.of(new ConditionSpec("Ready", true, "ClusterReady", "c")), t1, 2L);
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo(t1.toString());
    assertThat(flipped.get(0).getObservedGeneration()).isEqualTo(2L);
  }
}
