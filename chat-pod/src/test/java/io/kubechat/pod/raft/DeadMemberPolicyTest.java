package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.cluster.MemberInfo;
import io.kubechat.pod.cluster.MemberState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadMemberPolicyTest {

  private final PodEndpoint a = new PodEndpoint("a", "1");
  private final PodEndpoint b = new PodEndpoint("b", "1");
  private final PodEndpoint c = new PodEndpoint("c", "1");
  private final PodEndpoint d = new PodEndpoint("d", "1");
  private final DeadMemberPolicy policy = new DeadMemberPolicy(30_000);

  private static MemberInfo row(String node, String inc, MemberState state) {
    return new MemberInfo(node, inc, state, 0, true);
  }

  @Test
  void aDeadVoterIsRemovedOnlyAfterTheTimeout() {
    List<PodEndpoint> all = List.of(a, b, c);
    List<MemberInfo> view =
        List.of(row("b", "1", MemberState.ALIVE), row("c", "1", MemberState.DEAD));
    assertThat(policy.pick(0, a, all, all, view, Set.of())).isEmpty();
    assertThat(policy.pick(29_999, a, all, all, view, Set.of())).isEmpty();
    assertThat(policy.pick(30_000, a, all, all, view, Set.of())).contains(c);
  }

  @Test
  void comingBackResetsTheClock() {
    List<PodEndpoint> all = List.of(a, b, c);
    policy.pick(0, a, all, all, List.of(row("c", "1", MemberState.DEAD)), Set.of());
    policy.pick(10_000, a, all, all, List.of(row("c", "1", MemberState.SUSPECT)), Set.of());
    assertThat(policy.pick(35_000, a, all, all, List.of(row("c", "1", MemberState.DEAD)), Set.of()))
        .isEmpty();
  }

  @Test
  void aReplacedIncarnationOrALeftPodIsRemovedAtOnce() {
    List<PodEndpoint> all = List.of(a, b, c);
    assertThat(
            policy.pick(
                0,
                a,
                all,
                all,
                List.of(row("b", "2", MemberState.ALIVE), row("c", "1", MemberState.ALIVE)),
                Set.of()))
        .contains(b);
    assertThat(
            policy.pick(
                0,
                a,
                all,
                all,
                List.of(row("b", "1", MemberState.ALIVE), row("c", "1", MemberState.LEFT)),
                Set.of()))
        .contains(c);
  }

  @Test
  void neverRemovesSelfAndKeepsAMajorityOfLiveVoters() {
    List<PodEndpoint> all = List.of(a, b, c, d);
    // b and c dead: removing one leaves {a, d, other}: 2 live of 3, a majority: ok
    List<MemberInfo> view =
        List.of(
            row("b", "1", MemberState.DEAD),
            row("c", "1", MemberState.DEAD),
            row("d", "1", MemberState.ALIVE),
            row("a", "x", MemberState.DEAD));
    assertThat(policy.pick(0, a, all, all, view, Set.of())).isEmpty();
    assertThat(policy.pick(40_000, a, all, all, view, Set.of())).contains(b);
    // with three of five dead, removing one would leave 2 live of 4: not a majority
    PodEndpoint e = new PodEndpoint("e", "1");
    List<PodEndpoint> five = List.of(a, b, c, d, e);
    List<MemberInfo> bad =
        List.of(
            row("b", "1", MemberState.DEAD),
            row("c", "1", MemberState.DEAD),
            row("d", "1", MemberState.DEAD),
            row("e", "1", MemberState.ALIVE));
    DeadMemberPolicy p = new DeadMemberPolicy(1000);
    p.pick(0, a, five, five, bad, Set.of());
    assertThat(p.pick(5000, a, five, five, bad, Set.of())).isEmpty();
  }

  @Test
  void aDeadLearnerIsAlwaysRemovable() {
    List<PodEndpoint> all = List.of(a, b, c);
    List<MemberInfo> view =
        List.of(row("b", "1", MemberState.ALIVE), row("c", "1", MemberState.DEAD));
    DeadMemberPolicy p = new DeadMemberPolicy(1000);
    p.pick(0, a, all, List.of(a, b), view, Set.of());
    assertThat(p.pick(1000, a, all, List.of(a, b), view, Set.of())).contains(c);
  }

  @Test
  void aRejoinedIdentityMatchesItsPodIncarnation() {
    PodEndpoint again = b.rejoined(1);
    assertThat(again.podIncarnation()).isEqualTo("1");
    assertThat(again).isNotEqualTo(b);
    List<PodEndpoint> all = List.of(a, again);
    assertThat(policy.pick(0, a, all, all, List.of(row("b", "1", MemberState.ALIVE)), Set.of()))
        .isEmpty();
  }

  @Test
  void aJoiningIncarnationSupersedesItsFormerOneBeforeItsHeartbeatsArrive() {
    List<PodEndpoint> all = List.of(a, b, c);
    PodEndpoint newB = new PodEndpoint("b", "2");
    // the table still shows the old b, killed a moment ago, as SUSPECT: not alive for a swap
    List<MemberInfo> suspect =
        List.of(row("b", "1", MemberState.SUSPECT), row("c", "1", MemberState.ALIVE));
    assertThat(policy.replacedBy(newB, a, all, all, suspect, Set.of())).isEmpty();
    List<MemberInfo> dead =
        List.of(row("b", "1", MemberState.DEAD), row("c", "1", MemberState.ALIVE));
    assertThat(policy.replacedBy(newB, a, all, all, dead, Set.of())).contains(b);
    List<MemberInfo> replaced =
        List.of(row("b", "2", MemberState.ALIVE), row("c", "1", MemberState.ALIVE));
    assertThat(policy.replacedBy(newB, a, all, all, replaced, Set.of())).contains(b);
  }

  @Test
  void aSwapNeverRemovesAVoterThatTheMajorityStillNeeds() {
    List<PodEndpoint> all = List.of(a, b, c);
    List<MemberInfo> view =
        List.of(row("b", "1", MemberState.DEAD), row("c", "1", MemberState.DEAD));
    assertThat(policy.replacedBy(new PodEndpoint("b", "2"), a, all, all, view, Set.of())).isEmpty();
    assertThat(policy.replacedBy(new PodEndpoint("d", "1"), a, all, all, view, Set.of())).isEmpty();
    assertThat(policy.replacedBy(new PodEndpoint("a", "2"), a, all, all, view, Set.of()))
        .as("never the leader itself")
        .isEmpty();
  }

  @Test
  void aMemberThatAnswersTheLeaderIsNeverRemovedBecauseAnotherProcessClaimsItsName() {
    List<PodEndpoint> all = List.of(a, b, c);
    // an impostor under b's name took b's row in the heartbeat table, but b answers Raft
    List<MemberInfo> view =
        List.of(row("b", "impostor", MemberState.ALIVE), row("c", "1", MemberState.ALIVE));
    assertThat(policy.pick(0, a, all, all, view, Set.of(b, c))).isEmpty();
    assertThat(policy.pick(60_000, a, all, all, view, Set.of(b, c))).isEmpty();
    PodEndpoint claimant = new PodEndpoint("b", "impostor");
    assertThat(policy.replacedBy(claimant, a, all, all, view, Set.of(b, c))).isEmpty();
    // once b stops answering, the new incarnation supersedes it as before
    assertThat(policy.replacedBy(claimant, a, all, all, view, Set.of(c))).contains(b);
  }
}
