package io.kubechat.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderDerivationTest {

  static PodStatusReport report(String node, String role, long term, String leader) {
    return new PodStatusReport(
        node,
        node + "-inc",
        "v",
        true,
        role,
        term,
        leader,
        0,
        0,
        0,
        List.of(),
        true,
        "g",
        0,
        0,
        List.of(),
        null);
  }

  @Test
  void allPodsAgreeOnTheLeader() {
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "FOLLOWER", 3, "c-1"),
                "c-1", report("c-1", "LEADER", 3, "c-1"),
                "c-2", report("c-2", "FOLLOWER", 3, "c-1")),
            3);
    assertThat(v.outcome()).isEqualTo(LeaderView.Outcome.ELECTED);
    assertThat(v.leader()).contains("c-1");
    assertThat(v.term()).isEqualTo(3);
    assertThat(v.message()).contains("c-1 leads at term 3", "3 of 3");
  }

  @Test
  void aMajorityIsEnoughWhenOnePodIsUnreachable() {
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "LEADER", 2, "c-0"),
                "c-1", report("c-1", "FOLLOWER", 2, "c-0")),
            3);
    assertThat(v.leader()).contains("c-0");
  }

  @Test
  void aStaleTermDoesNotOutvoteTheMajority() {
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "LEADER", 5, "c-0"),
                "c-1", report("c-1", "FOLLOWER", 5, "c-0"),
                "c-2", report("c-2", "FOLLOWER", 4, "c-2")),
            3);
    assertThat(v.leader()).contains("c-0");
    assertThat(v.term()).isEqualTo(5);
  }

  @Test
  void aLeaderNamedOnlyAtAStaleTermIsNoLeader() {
    // The old leader c-2 was killed; two followers still name it, a third moved on.
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "FOLLOWER", 4, "c-2"),
                "c-1", report("c-1", "FOLLOWER", 4, "c-2")),
            3);
    assertThat(v.outcome()).isEqualTo(LeaderView.Outcome.NO_LEADER);
    assertThat(v.leader()).isEmpty();
    assertThat(v.message()).contains("c-2 does not answer as leader");
  }

  @Test
  void disagreementWithoutMajorityIsASplitView() {
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "LEADER", 6, "c-0"),
                "c-1", report("c-1", "LEADER", 5, "c-1"),
                "c-2", report("c-2", "CANDIDATE", 6, null)),
            3);
    assertThat(v.outcome()).isEqualTo(LeaderView.Outcome.SPLIT_VIEW);
    assertThat(v.outcome().reason()).isEqualTo("SplitView");
    assertThat(v.message())
        .contains("c-0 says c-0 (term 6)", "c-1 says c-1 (term 5)", "c-2 says none (term 6)");
    assertThat(v.term()).isEqualTo(6);
  }

  @Test
  void anElectionInProgressIsNoLeader() {
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "CANDIDATE", 7, null),
                "c-1", report("c-1", "FOLLOWER", 6, null)),
            3);
    assertThat(v.outcome()).isEqualTo(LeaderView.Outcome.NO_LEADER);
    assertThat(v.term()).isEqualTo(7);
  }

  @Test
  void podsWithoutConsensusReportRoleNone() {
    LeaderView v =
        LeaderDerivation.derive(
            Map.of(
                "c-0", report("c-0", "NONE", 0, null),
                "c-1", report("c-1", "NONE", 0, null)),
            3);
    assertThat(v.outcome()).isEqualTo(LeaderView.Outcome.CONSENSUS_DISABLED);
    assertThat(v.outcome().reason()).isEqualTo("ConsensusDisabled");
  }

  @Test
  void noReachablePod() {
    assertThat(LeaderDerivation.derive(Map.of(), 3).outcome())
        .isEqualTo(LeaderView.Outcome.NO_REACHABLE_PODS);
  }

  @Test
  void majorityIsOverTheWholeClusterNotOnlyTheReachablePods() {
    // One pod of five claims leadership alone (a partitioned minority): not a leader.
    LeaderView v = LeaderDerivation.derive(Map.of("c-0", report("c-0", "LEADER", 9, "c-0")), 5);
    assertThat(v.outcome()).isEqualTo(LeaderView.Outcome.NO_LEADER);
  }
}
