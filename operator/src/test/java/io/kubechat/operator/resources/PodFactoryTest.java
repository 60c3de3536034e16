package io.kubechat.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.kubechat.operator.crd.AntiAffinity;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.HeartbeatSpec;
import io.kubechat.operator.crd.RaftSpec;
import io.kubechat.operator.crd.StorageSpec;
import io.kubechat.operator.crd.TlsSpec;
import io.kubechat.operator.support.Clusters;
import java.util.List;
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
  void dataDirectoryPodUidAndClusterSizeAreInTheEnvironment() {
    ChatCluster c = Clusters.cluster("ns", "demo", 5, s -> {});
    Pod p = factory.pod(c, 3, false);
    assertThat(Clusters.env(p, "KUBECHAT_DATA_DIR")).isEqualTo("/var/lib/kubechat");
    assertThat(Clusters.env(p, "KUBECHAT_POD_UID")).isEqualTo("fieldRef:metadata.uid");
    assertThat(Clusters.env(p, "KUBECHAT_CLUSTER_SIZE")).isEqualTo("5");
    assertThat(p.getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("data"))
        .singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(ClaimFactory.claim(c, 3)).isEmpty();
  }

  @Test
  void withStorageEachPodMountsItsOwnClaimOwnedByTheCluster() {
    StorageSpec st = new StorageSpec();
    st.setSize("2Gi");
    st.setStorageClassName("fast");
    ChatCluster c = Clusters.cluster("ns", "demo", 3, s -> s.setStorage(st));
    Pod p = factory.pod(c, 2, false);
    assertThat(p.getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("data"))
        .singleElement()
        .satisfies(
            v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-demo-2"));
    assertThat(RestrictedProfile.violations(p)).isEmpty();
    PersistentVolumeClaim pvc = ClaimFactory.claim(c, 2).orElseThrow();
    assertThat(pvc.getMetadata().getName()).isEqualTo("data-demo-2");
    assertThat(pvc.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("ChatCluster"));
    assertThat(pvc.getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("2Gi"));
    assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(factory.desiredHash(c))
        .as("storage is part of the pod spec")
        .isNotEqualTo(factory.desiredHash(Clusters.cluster("ns", "demo", 3, s -> {})));
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

  @Test
  void probesUseTheNamedAdminPortAndTheClientServiceOnlyTheClientPort() {
    ChatCluster c = Clusters.cluster("ns", "demo", 3, s -> {});
    Container container = factory.pod(c, 0, true).getSpec().getContainers().get(0);
    assertThat(container.getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .contains(tuple("http", 8080), tuple("admin", 9090));
    assertThat(Clusters.env(factory.pod(c, 0, true), "KUBECHAT_ADMIN_PORT")).isEqualTo("9090");
    for (Probe probe :
        List.of(
            container.getStartupProbe(),
            container.getReadinessProbe(),
            container.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    }
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");

    Service client = ServiceFactory.client(c);
    assertThat(client.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080));
    assertThat(ServiceFactory.headless(c).getSpec().getPorts())
        .as("the admin port is reached on the pod IPs, through no Service")
        .noneSatisfy(p -> assertThat(p.getTargetPort().getIntVal()).isEqualTo(9090));
  }

  @Test
  void withTlsTheSecretIsMountedReadOnlyAndTheProbesStayPlain() {
    TlsSpec tls = new TlsSpec();
    tls.setSecretName("chat-tls");
    ChatCluster c = Clusters.cluster("ns", "demo", 3, s -> s.setTls(tls));
    Pod p = factory.pod(c, 1, false);
    assertThat(Clusters.env(p, "KUBECHAT_CLIENT_TLS_DIR")).isEqualTo("/etc/kubechat/client-tls");
    assertThat(p.getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("client-tls"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getSecret().getSecretName()).isEqualTo("chat-tls");
              assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440);
              assertThat(v.getSecret().getItems()).as("whole Secret: rotation works").isEmpty();
            });
    Container container = p.getSpec().getContainers().get(0);
    assertThat(container.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("client-tls"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/kubechat/client-tls");
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getSubPath()).isNull();
            });
    for (Probe probe :
        List.of(
            container.getStartupProbe(),
            container.getReadinessProbe(),
            container.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("admin");
      assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
    }
    assertThat(RestrictedProfile.violations(p)).isEmpty();
    assertThat(factory.desiredHash(c))
        .as("turning TLS on rolls the pods")
        .isNotEqualTo(factory.desiredHash(Clusters.cluster("ns", "demo", 3, s -> {})));
  }

  @Test
  void withoutTlsThereIsNoSecretAndNoTlsDirectory() {
    Pod p = factory.pod(Clusters.cluster("ns", "demo", 3, s -> {}), 0, true);
    assertThat(Clusters.env(p, "KUBECHAT_CLIENT_TLS_DIR")).isNull();
    assertThat(p.getSpec().getVolumes()).noneMatch(v -> v.getName().equals("client-tls"));
    assertThat(p.getSpec().getContainers().get(0).getVolumeMounts())
        .noneMatch(m -> m.getMountPath().equals("/etc/kubechat/client-tls"));
  }
}
