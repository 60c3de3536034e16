package io.kubechat.pod.raft;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/** A clustered Vert.x bound to one loopback address, joining the others over TCP-IP. */
final class ClusteredNode {

  private ClusteredNode() {}

  static Future<Vertx> start(String clusterName, String host, int port, List<String> hosts) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.local.localAddress", host);
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false).setPublicAddress(host + ":" + port);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(hosts.stream().map(h -> h + ":" + port).toList());
    EventBusOptions eb =
        new EventBusOptions()
            .setHost(host)
            .setPort(0)
            .setClusterPublicHost(host)
            .setClusterPingInterval(1000)
            .setClusterPingReplyInterval(1000);
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(eb))
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered();
  }
}
