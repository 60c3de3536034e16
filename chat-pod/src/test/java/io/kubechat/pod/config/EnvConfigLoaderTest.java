package io.kubechat.pod.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvConfigLoaderTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    PodConfig c = EnvConfigLoader.load(Map.of("KUBECHAT_POD_IP", "10.1.2.3", "HOSTNAME", "chat-0"));
    assertThat(c.nodeName()).isEqualTo("chat-0");
    assertThat(c.clusterName()).isEqualTo("kubechat");
    assertThat(c.discovery()).isEqualTo(PodConfig.Discovery.STATIC);
    assertThat(c.staticMembers()).containsExactly("10.1.2.3:5701");
    assertThat(c.httpHost()).isEqualTo("10.1.2.3");
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.hazelcastPort()).isEqualTo(5701);
    assertThat(c.eventBusPort()).isEqualTo(5702);
    assertThat(c.heartbeatIntervalMs()).isEqualTo(500);
    assertThat(c.heartbeatTimeoutMs()).isEqualTo(2000);
    assertThat(c.deadAfterMs()).isEqualTo(6000);
    assertThat(c.clientIdleTimeoutS()).isEqualTo(30);
    assertThat(c.maxFrameBytes()).isEqualTo(65536);
    assertThat(c.maxTextBytes()).isEqualTo(8192);
    assertThat(c.maxGroupsPerClient()).isEqualTo(100);
    assertThat(c.adminPort()).isEqualTo(9090);
    assertThat(c.httpLimits()).isEqualTo(new PodConfig.HttpLimits(60, 10, 10_000));
  }

  @Test
  void kubernetesDiscoveryNeedsTheServiceAndListensOnAllAddresses() {
    assertThatThrownBy(() -> EnvConfigLoader.load(Map.of("KUBECHAT_DISCOVERY", "kubernetes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBECHAT_CLUSTER_SERVICE");
    PodConfig c =
        EnvConfigLoader.load(
            Map.of(
                "KUBECHAT_DISCOVERY",
                "kubernetes",
                "KUBECHAT_CLUSTER_SERVICE",
                "chat-hz.default.svc.cluster.local",
                "KUBECHAT_POD_IP",
                "10.0.0.9"));
    assertThat(c.discovery()).isEqualTo(PodConfig.Discovery.KUBERNETES);
    assertThat(c.httpHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void staticMembersTakeIpOrIpAndPort() {
    PodConfig c =
        EnvConfigLoader.load(Map.of("KUBECHAT_STATIC_MEMBERS", "127.0.1.2, 127.0.1.3:5801"));
    assertThat(c.staticMembers()).containsExactly("127.0.1.2:5701", "127.0.1.3:5801");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "KUBECHAT_NODE_NAME|bad name!",
        "KUBECHAT_POD_IP|10.0.0.300",
        "KUBECHAT_CLUSTER_NAME|x/",
        "KUBECHAT_DISCOVERY|multicast",
        "KUBECHAT_STATIC_MEMBERS|127.0.0.1:notaport",
        "KUBECHAT_HTTP_PORT|0",
        "KUBECHAT_HTTP_PORT|eighty",
        "KUBECHAT_HAZELCAST_PORT|70000",
        "KUBECHAT_EVENTBUS_PORT|-1",
        "KUBECHAT_ADMIN_PORT|65536",
        "KUBECHAT_HTTP_IDLE_TIMEOUT_S|0",
        "KUBECHAT_HTTP_HEADER_TIMEOUT_S|301",
        "KUBECHAT_MAX_CONNECTIONS|0",
        "KUBECHAT_HEARTBEAT_INTERVAL_MS|10",
        "KUBECHAT_HEARTBEAT_TIMEOUT_MS|400",
        "KUBECHAT_CLIENT_IDLE_TIMEOUT_S|0",
        "KUBECHAT_MAX_FRAME_BYTES|100",
        "KUBECHAT_MAX_TEXT_BYTES|100000",
        "KUBECHAT_MAX_GROUPS_PER_CLIENT|0",
        "KUBECHAT_OUTBOUND_QUEUE_FRAMES|0",
        "KUBECHAT_RATE_LIMIT_PER_S|0",
        "KUBECHAT_SHUTDOWN_GRACE_S|1000",
        "KUBECHAT_LOG_LEVEL|LOUD",
        "KUBECHAT_HTTP_HOST|localhost",
        "KUBECHAT_CLUSTER_SERVICE|not a dns name",
        "KUBECHAT_BOOTSTRAP|maybe",
        "KUBECHAT_HISTORY_LIMIT|0",
        "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S|fast",
        "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S|0.1",
        "KUBECHAT_RAFT_ELECTION_TIMEOUT_MS|5",
        "KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S|0"
      })
  void anInvalidValueIsRejectedNamingTheVariable(String var, String value) {
    Map<String, String> env = new HashMap<>();
    env.put(var, value);
    assertThatThrownBy(() -> EnvConfigLoader.load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(var);
  }

  @Test
  void portsMustDiffer() {
    assertThatThrownBy(() -> EnvConfigLoader.load(Map.of("KUBECHAT_EVENTBUS_PORT", "5701")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBECHAT_EVENTBUS_PORT");
    // the admin port is a port of its own too
    assertThatThrownBy(() -> EnvConfigLoader.load(Map.of("KUBECHAT_ADMIN_PORT", "8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBECHAT_ADMIN_PORT");
  }

  @Test
  void helpListsEveryVariableWithItsDefault() {
    String help = EnvConfigLoader.help();
    for (Setting s : EnvConfigLoader.SETTINGS) {
      assertThat(help).contains(s.env()).contains("default: " + s.defaultValue());
    }
    assertThat(EnvConfigLoader.SETTINGS)
        .extracting(Setting::env)
        .contains(
            "KUBECHAT_NODE_NAME",
            "KUBECHAT_POD_IP",
            "KUBECHAT_CLUSTER_NAME",
            "KUBECHAT_DISCOVERY",
            "KUBECHAT_CLUSTER_SERVICE",
            "KUBECHAT_STATIC_MEMBERS",
            "KUBECHAT_HTTP_PORT",
            "KUBECHAT_ADMIN_PORT",
            "KUBECHAT_HTTP_IDLE_TIMEOUT_S",
            "KUBECHAT_HTTP_HEADER_TIMEOUT_S",
            "KUBECHAT_MAX_CONNECTIONS",
            "KUBECHAT_HAZELCAST_PORT",
            "KUBECHAT_EVENTBUS_PORT",
            "KUBECHAT_HEARTBEAT_INTERVAL_MS",
            "KUBECHAT_HEARTBEAT_TIMEOUT_MS",
            "KUBECHAT_CLIENT_IDLE_TIMEOUT_S",
            "KUBECHAT_MAX_FRAME_BYTES");
  }
}
