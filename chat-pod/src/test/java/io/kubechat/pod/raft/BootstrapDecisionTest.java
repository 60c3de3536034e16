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
            3);

    assertThat(d.kind()).isEqualTo(Kind.JOIN);
    assertThat(d.found().getString("node")).isEqualTo("pod-3");
  }

  @Test
  void aBootstrapperNeverFormsAGroupWhileAPeerIsSilent() {
    BootstrapDecision d =
        BootstrapDecision.decide("pod-1", true, List.of(inNoGroup("pod-2", false)), 2);

    assertThat(d.kind()).isEqualTo(Kind.WAIT);
    assertThat(d.reason()).contains("1 of 2 other pods did not answer");
  }

  @Test
  void aBootstrapperFormsAGroupWhenEveryPeerIsInNone() {
    assertThat(
            BootstrapDecision.decide(
                    "pod-1", true, List.of(inNoGroup("pod-2", false), inNoGroup("pod-3", false)), 2)
                .kind())
        .isEqualTo(Kind.FORM);
    assertThat(BootstrapDecision.decide("solo", true, List.of(), 0).kind()).isEqualTo(Kind.FORM);
  }

  @Test
  void ofTwoBootstrappersTheSmallerNameFormsTheGroup() {
    assertThat(BootstrapDecision.decide("pod-2", true, List.of(inNoGroup("pod-1", true)), 1).kind())
        .isEqualTo(Kind.WAIT);
    assertThat(BootstrapDecision.decide("pod-1", true, List.of(inNoGroup("pod-2", true)), 1).kind())
        .isEqualTo(Kind.FORM);
  }

  @Test
  void aPodThatDoesNotBootstrapWaitsForAGroup() {
    assertThat(
            BootstrapDecision.decide("pod-2", false, List.of(inNoGroup("pod-1", false)), 1).kind())
        .isEqualTo(Kind.WAIT);
  }

  @Test
  void withoutAClusterManagerOnlyTheAnswersCount() {
    assertThat(BootstrapDecision.decide("p1", true, List.of(), -1).kind()).isEqualTo(Kind.FORM);
  }
}
