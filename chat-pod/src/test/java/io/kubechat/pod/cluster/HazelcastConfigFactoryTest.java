package io.kubechat.pod.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.kubechat.pod.config.EnvConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastConfigFactoryTest {

  @Test
  void staticDiscoveryJoinsTheListedMembersOnThePodIpOnly() {
    Config c =
        HazelcastConfigFactory.create(
            EnvConfigLoader.load(
                Map.of(
                    "KUBECHAT_POD_IP",
                    "127.0.1.9",
                    "KUBECHAT_CLUSTER_NAME",
                    "chat-a",
                    "KUBECHAT_STATIC_MEMBERS",
                    "127.0.1.9,127.0.1.10:5801")));
    assertThat(c.getClusterName()).isEqualTo("chat-a");
    assertThat(c.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(c.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(c.getNetworkConfig().getPublicAddress()).isEqualTo("127.0.1.9:5701");
    assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.1.9");
    assertThat(c.getProperty("hazelcast.local.localAddress")).isEqualTo("127.0.1.9");
    assertThat(Integer.parseInt(c.getProperty("hazelcast.max.no.heartbeat.seconds")))
        .isLessThanOrEqualTo(10);
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("127.0.1.9:5701", "127.0.1.10:5801");
  }

  @Test
  void kubernetesDiscoveryUsesDnsLookupOfTheHeadlessService() {
    Config c =
        HazelcastConfigFactory.create(
            EnvConfigLoader.load(
                Map.of(
                    "KUBECHAT_POD_IP",
                    "10.0.3.4",
                    "KUBECHAT_DISCOVERY",
                    "kubernetes",
                    "KUBECHAT_CLUSTER_SERVICE",
                    "chat-hz.ns.svc.cluster.local",
                    "KUBECHAT_HAZELCAST_PORT",
                    "6000")));
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("chat-hz.ns.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("6000");
    assertThat(c.getNetworkConfig().getPublicAddress()).isEqualTo("10.0.3.4:6000");
  }
}
