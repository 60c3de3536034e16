package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RaftEnvTest {

  @Test
  void unsetVariablesGiveTheDefaults() {
    assertThat(RaftEnv.read(Map.of())).isEqualTo(RaftSettings.defaults());
  }

  @Test
  void readsEveryVariable() {
    RaftSettings s =
        RaftEnv.read(
            Map.ofEntries(
                Map.entry("KUBECHAT_BOOTSTRAP", "TRUE"),
                Map.entry("KUBECHAT_RAFT_DISCOVERY_WINDOW_MS", "700"),
                Map.entry("KUBECHAT_RAFT_HEARTBEAT_PERIOD_S", "0.5"),
                Map.entry("KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S", "2"),
                Map.entry("KUBECHAT_RAFT_ELECTION_TIMEOUT_MS", "800"),
                Map.entry("KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S", "60"),
                Map.entry("KUBECHAT_HISTORY_LIMIT", "50"),
                Map.entry("KUBECHAT_RAFT_SNAPSHOT_EVERY", "100"),
                Map.entry("KUBECHAT_RAFT_SEND_TIMEOUT_MS", "3000"),
                Map.entry("KUBECHAT_RAFT_FORWARD_TIMEOUT_MS", " 900 "),
                Map.entry("KUBECHAT_RAFT_PROMOTE_LAG", "5"),
                Map.entry("KUBECHAT_DEDUP_PER_CLIENT", "10"),
                Map.entry("KUBECHAT_DEDUP_CLIENTS", "20"),
                Map.entry("KUBECHAT_RAFT_MAINTENANCE_MS", "100"),
                Map.entry("KUBECHAT_CLUSTER_SIZE", "5")));
    assertThat(s)
        .isEqualTo(
            new RaftSettings(true, 700, 500, 2000, 800, 60, 50, 100, 3000, 900, 5, 10, 20, 100, 5));
    assertThat(RaftEnv.VARIABLES).hasSize(15);
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertThatThrownBy(() -> RaftEnv.read(Map.of("KUBECHAT_HISTORY_LIMIT", "lots")))
        .hasMessageStartingWith("KUBECHAT_HISTORY_LIMIT=lots");
    assertThatThrownBy(() -> RaftEnv.read(Map.of("KUBECHAT_HISTORY_LIMIT", "0")))
        .hasMessageStartingWith("KUBECHAT_HISTORY_LIMIT=0: must be in 1..1000000");
    assertThatThrownBy(() -> RaftEnv.read(Map.of("KUBECHAT_BOOTSTRAP", "yes")))
        .hasMessageStartingWith("KUBECHAT_BOOTSTRAP=yes");
    assertThatThrownBy(() -> RaftEnv.read(Map.of("KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S", "0.25")))
        .hasMessageStartingWith("KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S=0.25");
    assertThatThrownBy(() -> RaftEnv.read(Map.of("KUBECHAT_RAFT_HEARTBEAT_PERIOD_S", "0.33")))
        .hasMessageStartingWith("KUBECHAT_RAFT_HEARTBEAT_PERIOD_S=0.33");
    assertThatThrownBy(() -> RaftEnv.read(Map.of("KUBECHAT_RAFT_HEARTBEAT_PERIOD_S", "fast")))
        .hasMessageStartingWith("KUBECHAT_RAFT_HEARTBEAT_PERIOD_S=fast");
    assertThatThrownBy(
            () -> RaftEnv.read(Map.of("KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S", "99999999999")))
        .hasMessageStartingWith("KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S=");
  }
}
