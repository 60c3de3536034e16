package io.kubechat.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.operator.support.Clusters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecValidationTest {
  @Test
  void aDefaultSpecIsValid() {
    assertThat(SpecValidation.validate(Clusters.cluster("ns", "demo", 3, s -> {}))).isEmpty();
  }

  @Test
  void storageNeedsAQuantityAndAValidClassName() {
    StorageSpec good = new StorageSpec();
    good.setSize("1.5Gi");
    good.setStorageClassName("fast-ssd.example.com");
    assertThat(SpecValidation.validate(Clusters.cluster("ns", "demo", 3, s -> s.setStorage(good))))
        .isEmpty();
    StorageSpec bad = new StorageSpec();
    bad.setSize("lots");
    bad.setStorageClassName("Fast_SSD");
    assertThat(SpecValidation.validate(Clusters.cluster("ns", "demo", 3, s -> s.setStorage(bad))))
        .containsExactly(
            "spec.storage.size 'lots' must be a storage quantity such as 1Gi or 500Mi",
            "spec.storage.storageClassName 'Fast_SSD' must be a DNS subdomain (lower case"
                + " letters, digits, '-' and '.')");
    StorageSpec zero = new StorageSpec();
    zero.setSize("0Gi");
    assertThat(SpecValidation.validate(Clusters.cluster("ns", "demo", 3, s -> s.setStorage(zero))))
        .containsExactly("spec.storage.size must be greater than 0 (is 0Gi)");
    StorageSpec missing = new StorageSpec();
    assertThat(
            SpecValidation.validate(Clusters.cluster("ns", "demo", 3, s -> s.setStorage(missing))))
        .singleElement()
        .asString()
        .contains("spec.storage.size 'null'");
  }

  @Test
  void relationsBetweenFieldsAreChecked() {
    ChatCluster c =
        Clusters.cluster(
            "ns",
            "demo",
            3,
            s -> {
              RaftSpec r = new RaftSpec();
              r.setHeartbeatPeriodSeconds(0.5);
              r.setHeartbeatTimeoutSeconds(0.25);
              r.setElectionTimeoutMillis(50);
              s.setRaft(r);
              ClientSpec cl = new ClientSpec();
              cl.setMaxFrameBytes(1024);
              s.setClient(cl);
              s.setMaxMessageBytes(4096);
            });
    assertThat(SpecValidation.validate(c))
        .anySatisfy(m -> assertThat(m).contains("spec.raft.heartbeatTimeoutSeconds (0.25)"))
        .anySatisfy(
            m -> assertThat(m).contains("spec.raft.electionTimeoutMillis must be between 100"))
        .anySatisfy(
            m -> assertThat(m).contains("spec.maxMessageBytes (4096)", "maxFrameBytes (1024)"));
  }

  @Test
  void relationsWithTheChatPodsDefaultsAreCheckedToo() {
    ChatCluster c =
        Clusters.cluster(
            "ns",
            "demo",
            3,
            s -> {
              HeartbeatSpec hb = new HeartbeatSpec();
              hb.setIntervalMillis(3000);
              s.setHeartbeat(hb);
              s.setMaxMessageBytes(100_000);
            });
    assertThat(SpecValidation.validate(c))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("timeoutMillis (2000, the pod's default)", "intervalMillis (3000)"))
        .anySatisfy(
            m -> assertThat(m).contains("maxMessageBytes (100000)", "65536, the pod's default"));
  }

  @Test
  void namesAndReservedKeysAreChecked() {
    ChatCluster c =
        Clusters.cluster(
            "ns",
            "a.b",
            0,
            s -> {
              ChatPodTemplate t = new ChatPodTemplate();
              t.setLabels(Map.of("app.kubernetes.io/instance", "x", "team", "chat"));
              s.setPodTemplate(t);
            });
    assertThat(SpecValidation.validate(c))
        .anySatisfy(m -> assertThat(m).contains("metadata.name 'a.b'"))
        .anySatisfy(m -> assertThat(m).contains("spec.replicas must be between 1 and 9 (is 0)"))
        .anySatisfy(m -> assertThat(m).contains("'app.kubernetes.io/instance'"))
        .noneSatisfy(m -> assertThat(m).contains("team"));
  }
}
