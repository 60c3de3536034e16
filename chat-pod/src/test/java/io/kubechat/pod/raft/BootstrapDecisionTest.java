package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.raft.BootstrapDecision.Kind;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapDecisionTest {

  private static JsonObject member(String node, String group, String leader) {
    return new JsonObject()
        .put("node", node)
        .put("group", group)
        .put("leader", leader)
        .put("bootstrap", false);
  }

  private static JsonObject inNoGroup(String node, boolean bootstrap) {
    return new JsonObject()
        .put("node", node)
        .putNull("group")
        .putNull("leader")
        .put("bootstrap", bootstrap);
  }

  @Test
  void joinsAGroupSomeoneIsInPreferringAnAnswerThatKnowsTheLeader() {
    BootstrapDecision d =
        BootstrapDecision.decide(
            "pod-1",
            true,
            List.of(
                inNoGroup("pod-4", false),
                member("pod-2", "g1", null),
                member("pod-3", "g1", "pod-3")),
            3,
            0);

    assertThat(d.kind()).isEqualTo(Kind.JOIN);
    assertThat(d.found().getString("node")).isEqualTo("pod-3");
  }

  @Test
  void aBootstrapperNeverFormsAGroupWhileAPeerIsSilent() {
    BootstrapDecision d =
        BootstrapDecision.decide("pod-1", true, List.of(inNoGroup("pod-2", false)), 2, 0);

    assertThat(d.kind()).isEqualTo(Kind.WAIT);
    assertThat(d.reason()).contains("1 of 2 other pods did not answer");
  }

  @Test
  void aBootstrapperFormsAGroupWhenEveryPeerIsInNone() {
    assertThat(
            BootstrapDecision.decide(
                    "pod-1",
                    true,
                    List.of(inNoGroup("pod-2", false), inNoGroup("pod-3", false)),
                    2,
                    0)
                .kind())
        .isEqualTo(Kind.FORM);
    assertThat(BootstrapDecision.decide("solo", true, List.of(), 0, 0).kind()).isEqualTo(Kind.FORM);
  }

  @Test
  void ofTwoBootstrappersTheSmallerNameFormsTheGroup() {
    assertThat(
            BootstrapDecision.decide("pod-2", true, List.of(inNoGroup("pod-1", true)), 1, 0).kind())
        .isEqualTo(Kind.WAIT);
    assertThat(
            BootstrapDecision.decide("pod-1", true, List.of(inNoGroup("pod-2", true)), 1, 0).kind())
        .isEqualTo(Kind.FORM);
  }

  @Test
  void aPodThatDoesNotBootstrapWaitsForAGroup() {
    assertThat(
            BootstrapDecision.decide("pod-2", false, List.of(inNoGroup("pod-1", false)), 1, 0)
                .kind())
        .isEqualTo(Kind.WAIT);
  }

  @Test
  void withoutAClusterManagerOnlyTheAnswersCount() {
    assertThat(BootstrapDecision.decide("p1", true, List.of(), -1, 0).kind()).isEqualTo(Kind.FORM);
  }

  @Test
  void withTheClusterSizeTheSmallestNameFormsOnceEveryPodAnswered() {
    List<JsonObject> both = List.of(inNoGroup("pod-2", false), inNoGroup("pod-3", false));
    assertThat(BootstrapDecision.decide("pod-1", false, both, 2, 3).kind()).isEqualTo(Kind.FORM);
    BootstrapDecision other =
        BootstrapDecision.decide(
            "pod-2", false, List.of(inNoGroup("pod-1", false), inNoGroup("pod-3", false)), 2, 3);
    assertThat(other.kind()).isEqualTo(Kind.WAIT);
    assertThat(other.reason()).contains("pod-1 forms it");
  }

  @Test
  void withTheClusterSizeAMajorityIsNotEnough() {
    // pod-3 may be a restarted member that still holds the group in its data directory
    BootstrapDecision d =
        BootstrapDecision.decide("pod-1", false, List.of(inNoGroup("pod-2", false)), 1, 3);
    assertThat(d.kind()).isEqualTo(Kind.WAIT);
    assertThat(d.reason()).contains("1 of 2 others");
  }

  @Test
  void aRestoredMemberMakesEveryoneJoinItsGroup() {
    BootstrapDecision d =
        BootstrapDecision.decide(
            "pod-1",
            false,
            List.of(inNoGroup("pod-2", false), member("pod-3", "g-old", null)),
            2,
            3);
    assertThat(d.kind()).isEqualTo(Kind.JOIN);
    assertThat(d.found().getString("group")).isEqualTo("g-old");
  }

  @Test
  void aPodWithNeitherSettingSaysHowToFormAGroup() {
    assertThat(BootstrapDecision.decide("pod-2", false, List.of(), 0, 0).reason())
        .contains("KUBECHAT_CLUSTER_SIZE");
  }
}
