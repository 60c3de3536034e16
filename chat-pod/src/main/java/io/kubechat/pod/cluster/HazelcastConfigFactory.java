package io.kubechat.pod.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.kubechat.pod.config.PodConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Builds the Hazelcast member configuration: bound to and published on the pod IP only, fixed port,
 * no multicast or auto-detection, failure detection in seconds instead of Hazelcast's 60 s.
 */
public final class HazelcastConfigFactory {
  /** Hazelcast's own member heartbeat; the chat heartbeats (cluster package) are separate. */
  static final int HZ_HEARTBEAT_S = 1;

  /**
   * A member silent this long is removed from the Hazelcast cluster (and its event-bus
   * subscriptions).
   */
  static final int HZ_MAX_NO_HEARTBEAT_S = 5;

  private HazelcastConfigFactory() {}

  public static Config create(PodConfig pod) {
    // Vert.x's default config declares the maps and multimaps its cluster manager needs.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(pod.clusterName());
    config.setInstanceName("kubechat-" + pod.nodeName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", pod.podIp());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(HZ_HEARTBEAT_S));
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", Integer.toString(HZ_MAX_NO_HEARTBEAT_S));
    config.setProperty("hazelcast.master.confirmation.interval.seconds", "1");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty(
        "hazelcast.graceful.shutdown.max.wait",
        Integer.toString(Math.max(1, pod.shutdownGraceS() / 2)));
    config.setProperty("hazelcast.operation.call.timeout.millis", "10000");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(pod.hazelcastPort()).setPortAutoIncrement(false).setPortCount(1);
    network.setPublicAddress(pod.podIp() + ":" + pod.hazelcastPort());
    network.getInterfaces().setEnabled(true).clear().addInterface(pod.podIp());
    network.getRestApiConfig().setEnabled(false);

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    switch (pod.discovery()) {
      case STATIC ->
          join.getTcpIpConfig()
              .setEnabled(true)
              .setConnectionTimeoutSeconds(2)
              .setMembers(pod.staticMembers());
      case KUBERNETES ->
          join.getKubernetesConfig()
              .setEnabled(true)
              .setProperty("service-dns", pod.clusterService())
              .setProperty("service-dns-timeout", "5")
              .setProperty("service-port", Integer.toString(pod.hazelcastPort()));
    }
    return config;
  }
}
