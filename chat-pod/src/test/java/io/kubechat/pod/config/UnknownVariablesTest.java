package io.kubechat.pod.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownVariablesTest {

  @Test
  void aMisspelledSettingIsNamedWithTheNearestKnownOne() {
    assertThat(
            UnknownVariables.warnings(
                Map.of("KUBECHAT_HEARTBEAT_INTERVL_MS", "300", "KUBECHAT_NODE_NAME", "pod-1")))
        .containsExactly(
            "unknown variable KUBECHAT_HEARTBEAT_INTERVL_MS is ignored; did you mean"
                + " KUBECHAT_HEARTBEAT_INTERVAL_MS? (see --help)");
  }

  @Test
  void aNameFarFromEveryKnownOneGetsNoGuess() {
    assertThat(UnknownVariables.warnings(Map.of("KUBECHAT_COLOUR_SCHEME", "dark")))
        .containsExactly("unknown variable KUBECHAT_COLOUR_SCHEME is ignored (see --help)");
  }

  @Test
  void knownSettingsOtherProgramsVariablesAndOtherPrefixesAreQuiet() {
    assertThat(
            UnknownVariables.warnings(
                Map.of(
                    "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S", "0.2",
                    "KUBECHAT_AUTH_JWT_KEY_FILE", "/k",
                    "KUBECHAT_TOKEN", "t",
                    "KUBECHAT_LOCAL_BASE", "127.0.0",
                    "KUBECHAT_OPERATOR_POD_IMAGE", "x",
                    "HOME", "/root")))
        .isEmpty();
  }

  @Test
  void distanceCountsSingleCharacterEdits() {
    assertThat(UnknownVariables.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(UnknownVariables.distance("", "abc")).isEqualTo(3);
    assertThat(UnknownVariables.distance("same", "same")).isZero();
  }
}
