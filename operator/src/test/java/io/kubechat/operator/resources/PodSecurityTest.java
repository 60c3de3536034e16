package io.kubechat.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AppArmorProfileBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SELinuxOptionsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SysctlBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptionsBuilder;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.support.Clusters;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rendered chat pod against the Pod Security Standard "restricted". */
class PodSecurityTest {
  final PodFactory factory = new PodFactory("kubechat/chat-pod:default", "cluster.local");

  Pod render() {
    return factory.pod(Clusters.cluster("ns", "demo", 3, s -> {}), 0, true);
  }

  @Test
  void theChatPodPassesTheRestrictedProfile() {
    assertThat(RestrictedProfile.violations(render())).isEmpty();
    ChatCluster tuned =
        Clusters.cluster(
            "ns",
            "demo",
            5,
            s -> {
              s.setShutdownGraceSeconds(5);
              s.setResources(
                  new ResourceRequirementsBuilder()
                      .addToRequests("cpu", new Quantity("1"))
                      .build());
            });
    assertThat(RestrictedProfile.violations(factory.pod(tuned, 4, false))).isEmpty();
  }

  @Test
  void rootFileSystemIsReadOnlyWithWritableTmpAndDataDirectory() {
    Pod p = render();
    Container c = p.getSpec().getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/tmp", "/var/lib/kubechat", "/etc/kubechat/cluster-tls");
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/tmp", "/var/lib/kubechat");
    // the writable ones are emptyDirs; the cluster certificate is a Secret, group-readable only
    assertThat(p.getSpec().getVolumes())
        .allSatisfy(
            v -> {
              if (v.getSecret() != null) {
                assertThat(v.getSecret().getSecretName()).endsWith("-cluster-tls");
                assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440);
              } else {
                assertThat(v.getEmptyDir()).isNotNull();
              }
            });
    assertThat(p.getSpec().getAutomountServiceAccountToken()).isFalse();
    var psc = p.getSpec().getSecurityContext();
    assertThat(psc.getRunAsNonRoot()).isTrue();
    assertThat(psc.getRunAsUser()).isEqualTo(10001L);
    assertThat(psc.getRunAsGroup()).isEqualTo(10001L);
    assertThat(psc.getFsGroup()).isEqualTo(10001L);
    assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void defaultResourcesOnlyWhenTheSpecGivesNone() {
    Container c = render().getSpec().getContainers().get(0);
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(c.getResources().getLimits())
        .containsOnlyKeys("memory")
        .containsEntry("memory", new Quantity("1Gi"));
    ChatCluster sized =
        Clusters.cluster(
            "ns",
            "demo",
            3,
            s ->
                s.setResources(
                    new ResourceRequirementsBuilder()
                        .addToLimits("memory", new Quantity("2Gi"))
                        .build()));
    Container own = factory.pod(sized, 0, false).getSpec().getContainers().get(0);
    assertThat(own.getResources().getLimits())
        .containsOnly(Map.entry("memory", new Quantity("2Gi")));
    assertThat(own.getResources().getRequests()).isNullOrEmpty();
  }

  static Stream<Arguments> breaches() {
    return Stream.of(
        breach("hostNetwork", p -> p.getSpec().setHostNetwork(true)),
        breach("hostPID", p -> p.getSpec().setHostPID(true)),
        breach("hostIPC", p -> p.getSpec().setHostIPC(true)),
        breach("privileged", p -> sc(p).setPrivileged(true)),
        breach(
            "hostProcess",
            p ->
                sc(p)
                    .setWindowsOptions(
                        new WindowsSecurityContextOptionsBuilder().withHostProcess(true).build())),
        breach("drop ALL", p -> sc(p).getCapabilities().setDrop(List.of("NET_RAW"))),
        breach("NET_ADMIN", p -> sc(p).getCapabilities().setAdd(List.of("NET_ADMIN"))),
        breach("CHOWN", p -> sc(p).getCapabilities().setAdd(List.of("CHOWN"))), // baseline only
        breach(
            "hostPath",
            p ->
                p.getSpec()
                    .getVolumes()
                    .add(
                        new VolumeBuilder()
                            .withName("host")
                            .withNewHostPath()
                            .withPath("/")
                            .endHostPath()
                            .build())),
        breach(
            "nfs",
            p ->
                p.getSpec()
                    .getVolumes()
                    .add(
                        new VolumeBuilder()
                            .withName("share")
                            .withNewNfs()
                            .withServer("nfs")
                            .withPath("/")
                            .endNfs()
                            .build())),
        breach("hostPort", p -> container(p).getPorts().get(0).setHostPort(8080)),
        breach(
            "seLinuxOptions.type",
            p -> sc(p).setSeLinuxOptions(new SELinuxOptionsBuilder().withType("spc_t").build())),
        breach(
            "seLinuxOptions.user",
            p ->
                p.getSpec()
                    .getSecurityContext()
                    .setSeLinuxOptions(new SELinuxOptionsBuilder().withUser("root").build())),
        breach("procMount", p -> sc(p).setProcMount("Unmasked")),
        breach(
            "seccompProfile",
            p ->
                sc(p)
                    .setSeccompProfile(new SeccompProfileBuilder().withType("Unconfined").build())),
        breach("no seccomp", p -> p.getSpec().getSecurityContext().setSeccompProfile(null)),
        breach(
            "sysctl",
            p ->
                p.getSpec()
                    .getSecurityContext()
                    .setSysctls(
                        List.of(
                            new SysctlBuilder().withName("kernel.msgmax").withValue("1").build()))),
        breach(
            "appArmorProfile",
            p ->
                sc(p)
                    .setAppArmorProfile(
                        new AppArmorProfileBuilder().withType("Unconfined").build())),
        breach(
            "AppArmor",
            p ->
                p.getMetadata()
                    .getAnnotations()
                    .put(RestrictedProfile.APPARMOR_ANNOTATION + "chat", "unconfined")),
        breach(
            "runAsNonRoot",
            p -> {
              p.getSpec().getSecurityContext().setRunAsNonRoot(null);
              sc(p).setRunAsNonRoot(null);
            }),
        breach("runAsNonRoot", p -> sc(p).setRunAsNonRoot(false)),
        breach("runAsUser must not be 0", p -> p.getSpec().getSecurityContext().setRunAsUser(0L)),
        breach("runAsUser must not be 0", p -> sc(p).setRunAsUser(0L)),
        breach("allowPrivilegeEscalation", p -> sc(p).setAllowPrivilegeEscalation(null)),
        breach(
            "allowPrivilegeEscalation",
            p ->
                p.getSpec()
                    .setInitContainers(List.of(new ContainerBuilder().withName("init").build()))));
  }

  static Arguments breach(String expected, Consumer<Pod> change) {
    return Arguments.of(expected, change);
  }

  static Container container(Pod p) {
    return p.getSpec().getContainers().get(0);
  }

  static SecurityContext sc(Pod p) {
    return container(p).getSecurityContext();
  }

  /** The checks can fail: each rule of the profile, broken on an otherwise compliant pod. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("breaches")
  void everyRuleOfTheProfileIsChecked(String expected, Consumer<Pod> change) {
    Pod p = render();
    change.accept(p);
    assertThat(RestrictedProfile.violations(p)).anyMatch(m -> m.contains(expected));
  }
}
