package io.kubechat.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerViewsTest {
  static PodStatusReport reporter(String node, PodStatusReport.Member... members) {
    return new PodStatusReport(
        node,
        node + "-i",
        "v",
        true,
        "NONE",
        0,
        null,
        0,
        0,
        0,
        List.of(members),
        false,
        null,
        0,
        0,
        List.of(),
        null);
  }

  static PodStatusReport.Member m(String node, String inc, String state, long ago) {
    return new PodStatusReport.Member(node, inc, state, ago, true);
  }

  @Test
  void deadOnlyCountsForTheCurrentIncarnationAndAMajorityOfReporters() {
    Map<String, PodStatusReport> reports =
        Map.of(
            "c-0", reporter("c-0", m("c-2", "old", "DEAD", 90_000)),
            "c-1", reporter("c-1", m("c-2", "old", "DEAD", 80_000)));
    assertThat(PeerViews.of("c-2", Optional.of("old"), reports).deadFor())
        .contains(Duration.ofMillis(80_000));
    assertThat(PeerViews.of("c-2", Optional.of("new"), reports).deadFor())
        .as("a new incarnation")
        .isEmpty();
    Map<String, PodStatusReport> oneOfTwo =
        Map.of(
            "c-0", reporter("c-0", m("c-2", "old", "DEAD", 90_000)),
            "c-1", reporter("c-1", m("c-2", "old", "ALIVE", 100)));
    PeerViews.View v = PeerViews.of("c-2", Optional.of("old"), oneOfTwo);
    assertThat(v.deadFor()).isEmpty();
    assertThat(v.state()).isEqualTo("DEAD");
  }

  @Test
  void removedPodsThatStillLookAliveHaveNotLeft() {
    Map<String, PodStatusReport> reports =
        Map.of(
            "c-0",
                reporter(
                    "c-0",
                    m("c-1", "a", "ALIVE", 10),
                    m("c-4", "b", "ALIVE", 10),
                    m("c-3", "c", "LEFT", 10)),
            "c-1", reporter("c-1", m("c-0", "a", "ALIVE", 10), m("c-4", "b", "SUSPECT", 10)));
    assertThat(PeerViews.notLeft(Set.of("c-0", "c-1"), reports)).containsExactly("c-4");
  }
}
