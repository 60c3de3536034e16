package io.kubechat.operator.recovery;

import static io.kubechat.operator.recovery.Reports.member;
import static io.kubechat.operator.recovery.Reports.outside;
import static io.kubechat.operator.recovery.Reports.unreachable;
import static io.kubechat.operator.recovery.Reports.voter;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.operator.status.PodObservation;
import io.kubechat.operator.status.PodStatusReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuorumLossJudgeTest {
  private static final PodStatusReport.RaftMember[] THREE = {
    voter("c-0", "u0"), voter("c-1", "u1"), voter("c-2", "u2")
  };

  private static Optional<QuorumLoss> judge(Map<String, String> pods, PodObservation... obs) {
    Map<String, PodObservation> observed = new HashMap<>();
    for (PodObservation o : obs) {
      observed.put(o.pod(), o);
    }
    return QuorumLossJudge.judge(pods, observed);
  }

  @Test
  void twoOfThreeVotersReplacedByNewPodsIsALoss() {
    Optional<QuorumLoss> loss =
        judge(
            Map.of("c-0", "u0", "c-1", "n1", "c-2", "n2"),
            member("c-0", "u0", "g1", 2, 40, false, THREE),
            outside("c-1", "n1"),
            outside("c-2", "n2"));
    assertThat(loss).isPresent();
    assertThat(loss.get().survivor()).isEqualTo("c-0");
    assertThat(loss.get().address()).isEqualTo("c-0:9090");
    assertThat(loss.get().gone()).containsExactly("c-1", "c-2");
    assertThat(loss.get().survivors()).containsExactly("c-0");
    assertThat(loss.get().lastLogIndex()).isEqualTo(40);
  }

  @Test
  void votersWhosePodsAreDeletedAreGone() {
    assertThat(
            judge(Map.of("c-0", "u0"), member("c-0", "u0", "g1", 2, 40, false, THREE))
                .map(QuorumLoss::gone))
        .contains(List.of("c-1", "c-2"));
  }

  @Test
  void aGroupThatCanCommitIsNeverRecovered() {
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "n1", "c-2", "n2"),
                member("c-0", "u0", "g1", 2, 40, true, THREE),
                outside("c-1", "n1"),
                outside("c-2", "n2")))
        .isEmpty();
  }

  @Test
  void podsThatExistButDoNotAnswerArePresent() {
    // a paused or cut-off majority: the API server says its pods exist, so it may come back
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "u1", "c-2", "u2"),
                member("c-0", "u0", "g1", 2, 40, false, THREE),
                unreachable("c-1"),
                unreachable("c-2")))
        .isEmpty();
  }

  @Test
  void aNewPodThatHasNotSaidWhichMemberItHoldsIsPresent() {
    // with a persistent volume the new pod may restore the old member: wait for its report
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "n1", "c-2", "n2"),
                member("c-0", "u0", "g1", 2, 40, false, THREE),
                unreachable("c-1"),
                unreachable("c-2")))
        .isEmpty();
    PodObservation restored = member("c-1", "u1", "g1", 2, 38, false, THREE);
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "n1", "c-2", "n2"),
                member("c-0", "u0", "g1", 2, 40, false, THREE),
                restored,
                outside("c-2", "n2")))
        .as("c-1's new pod reports the old member (restored from a volume), c-2 is gone")
        .isEmpty();
  }

  @Test
  void aMemberThatRestartedWithoutItsDataIsGone() {
    // same pod (same UID), but its in-memory member is lost: it reports a new member id
    PodStatusReport.RaftMember[] three = {
      voter("c-0", "m0"), voter("c-1", "m1"), voter("c-2", "m2")
    };
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "u1", "c-2", "u2"),
                member("c-0", "m0", "g1", 2, 40, false, three),
                Reports.outside("c-1", "x1"),
                Reports.outside("c-2", "x2")))
        .isEmpty();
  }

  @Test
  void theMostAdvancedSurvivorIsChosen() {
    PodStatusReport.RaftMember[] five = {
      voter("c-0", "u0"),
      voter("c-1", "u1"),
      voter("c-2", "u2"),
      voter("c-3", "u3"),
      voter("c-4", "u4")
    };
    Optional<QuorumLoss> loss =
        judge(
            Map.of("c-0", "u0", "c-1", "u1"),
            member("c-0", "u0", "g1", 3, 90, false, five),
            member("c-1", "u1", "g1", 4, 80, false, five));
    assertThat(loss.map(QuorumLoss::survivor)).contains("c-1");
    assertThat(loss.get().survivors()).containsExactly("c-0", "c-1");
  }

  @Test
  void noJudgementWhileMembersReportDifferentGroupsOrAMajorityIsPresent() {
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "u1"),
                member("c-0", "u0", "g1", 2, 40, false, THREE),
                member("c-1", "u1", "g2", 1, 5, false, voter("c-1", "u1"))))
        .as("a recovery under way: the new group is not yet available")
        .isEmpty();
    assertThat(
            judge(
                Map.of("c-0", "u0", "c-1", "u1", "c-2", "n2"),
                member("c-0", "u0", "g1", 2, 40, false, THREE),
                member("c-1", "u1", "g1", 2, 40, false, THREE),
                outside("c-2", "n2")))
        .as("two of three voters present: an election, not a loss")
        .isEmpty();
  }
}
