package io.kubechat.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubechat.operator.crd.AntiAffinity;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.HeartbeatSpec;
import io.kubechat.operator.crd.RaftSpec;
import io.kubechat.operator.support.Clusters;
import org.junit.jupiter.api.Test;

class PodFactoryTest {
  final PodFactory factory = new PodFactory("kubechat/chat-pod:default", "cluster.local");

  @Test
  void hashIgnoresOrdinalAndBootstrapButFollowsTheSpec() {
    ChatCluster c = Clusters.cluster("ns", "demo", 3, s -> {});
    Pod p0 = factory.pod(c, 0, true);
    Pod p1 = factory.pod(c, 1, false);
    assertThat(p0.getMetadata().getAnnotations().get(Names.SPEC_HASH_ANNOTATION))
        .isEqualTo(p1.getMetadata().getAnnotations().get(Names.SPEC_HASH_ANNOTATION))
        .isEqualTo(factory.desiredHash(c));
    ChatCluster changed = Clusters.cluster("ns", "demo", 3, s -> s.setHistoryLimit(10));
    assertThat(factory.desiredHash(changed)).isNotEqualTo(factory.desiredHash(c));
    ChatCluster scaled = Clusters.cluster("ns", "demo", 7, s -> {});
    assertThat(factory.desiredHash(scaled))
        .as("scaling does not roll pods")
        .isEqualTo(factory.desiredHash(c));
  }

  @Test
  void timingsBecomeEnvOnlyWhenSet() {
    ChatCluster c =
        Clusters.cluster(
            "ns",
            "demo",
            3,
            s -> {
              HeartbeatSpec hb = new HeartbeatSpec();
              hb.setIntervalMillis(200);
              hb.setTimeoutMillis(800);
              s.setHeartbeat(hb);
              RaftSpec r = new RaftSpec();
              r.setElectionTimeoutMillis(700);
              r.setHeartbeatTimeoutSeconds(1.0);
              s.setRaft(r);
              s.setShutdownGraceSeconds(5);
              s.setAntiAffinity(AntiAffinity.required);
            });
    Pod p = factory.pod(c, 2, false);
    assertThat(Clusters.env(p, "KUBECHAT_HEARTBEAT_INTERVAL_MS")).isEqualTo("200");
    assertThat(Clusters.env(p, "KUBECHAT_HEARTBEAT_TIMEOUT_MS")).isEqualTo("800");
    assertThat(Clusters.env(p, "KUBECHAT_RAFT_ELECTION_TIMEOUT_MS")).isEqualTo("700");
    assertThat(Clusters.env(p, "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S")).isNull();
    assertThat(Clusters.env(p, "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S")).isEqualTo("1");
    assertThat(Clusters.env(p, "KUBECHAT_SHUTDOWN_GRACE_S")).isEqualTo("5");
    assertThat(p.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(15L);
    assertThat(p.getSpec().getHostname()).isEqualTo("demo-2");
    assertThat(p.getSpec().getSubdomain()).isEqualTo("demo-hl");
    assertThat(p.getSpec().getEnableServiceLinks()).isFalse();
    assertThat(
            p.getSpec()
                .getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("kubechat/chat-pod:test");
  }
}
