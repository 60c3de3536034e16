package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of the Pod Security Standards' "restricted" profile (which includes "baseline"), as
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ lists them, applied to a
 * rendered pod. Each violation is a sentence naming the field and the rule.
 */
final class RestrictedProfile {
  static final Set<String> ALLOWED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");
  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");
  static final Set<String> SELINUX_TYPES =
      Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");
  static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

  private RestrictedProfile() {}

  static List<String> violations(Pod pod) {
    List<String> v = new ArrayList<>();
    PodSpec spec = pod.getSpec();
    PodSecurityContext psc =
        Optional.ofNullable(spec.getSecurityContext()).orElseGet(PodSecurityContext::new);
    List<Container> containers =
        Stream.of(
                Optional.ofNullable(spec.getContainers()).orElse(List.of()),
                Optional.ofNullable(spec.getInitContainers()).orElse(List.of()),
                // Ephemeral containers have the same security fields; compare through JSON.
                Optional.ofNullable(spec.getEphemeralContainers()).orElse(List.of()).stream()
                    .map(e -> Serialization.unmarshal(Serialization.asJson(e), Container.class))
                    .toList())
            .flatMap(List::stream)
            .toList();

    // Baseline: host namespaces.
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      v.add("spec.hostNetwork must not be true (host namespaces)");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      v.add("spec.hostPID must not be true (host namespaces)");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      v.add("spec.hostIPC must not be true (host namespaces)");
    }
    // Baseline: HostProcess.
    hostProcess(v, "spec.securityContext", psc.getWindowsOptions());
    // Baseline: SELinux, sysctls, seccomp not Unconfined, AppArmor (pod level).
    seLinux(v, "spec.securityContext", psc.getSeLinuxOptions());
    for (Sysctl s : Optional.ofNullable(psc.getSysctls()).orElse(List.of())) {
      if (!SAFE_SYSCTLS.contains(s.getName())) {
        v.add("spec.securityContext.sysctls '" + s.getName() + "' is not a safe sysctl");
      }
    }
    appArmor(v, "spec.securityContext", psc.getAppArmorProfile());
    Map<String, String> annotations =
        Optional.ofNullable(pod.getMetadata().getAnnotations()).orElse(Map.of());
    annotations.forEach(
        (k, val) -> {
          if (k.startsWith(APPARMOR_ANNOTATION)
              && !val.equals("runtime/default")
              && !val.startsWith("localhost/")) {
            v.add("annotation " + k + "=" + val + " is not an allowed AppArmor profile");
          }
        });
    boolean podSeccomp = seccomp(v, "spec.securityContext", psc.getSeccompProfile());
    // Baseline: hostPath volumes; restricted: only the allowed volume types.
    for (Volume vol : Optional.ofNullable(spec.getVolumes()).orElse(List.of())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = Serialization.unmarshal(Serialization.asJson(vol), Map.class);
      fields.keySet().stream()
          .filter(k -> !k.equals("name"))
          .filter(k -> !ALLOWED_VOLUME_TYPES.contains(k))
          .forEach(k -> v.add("volume '" + vol.getName() + "' has the disallowed type " + k));
    }
    // Restricted: running as non-root, at pod level or in every container.
    boolean podNonRoot = Boolean.TRUE.equals(psc.getRunAsNonRoot());
    if (Long.valueOf(0).equals(psc.getRunAsUser())) {
      v.add("spec.securityContext.runAsUser must not be 0");
    }

    for (Container c : containers) {
      String at = "container '" + c.getName() + "'";
      SecurityContext sc =
          Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        v.add(at + " must not be privileged");
      }
      hostProcess(v, at, sc.getWindowsOptions());
      for (ContainerPort p : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          v.add(at + " port " + p.getName() + " must not set a hostPort");
        }
      }
      seLinux(v, at, sc.getSeLinuxOptions());
      if (sc.getProcMount() != null && !sc.getProcMount().equals("Default")) {
        v.add(at + " procMount must be Default (is " + sc.getProcMount() + ")");
      }
      appArmor(v, at, sc.getAppArmorProfile());
      boolean containerSeccomp = seccomp(v, at, sc.getSeccompProfile());
      if (!podSeccomp && !containerSeccomp) {
        v.add(
            at + " has no seccomp profile (RuntimeDefault or Localhost) at pod or container level");
      }
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        v.add(at + " must set allowPrivilegeEscalation to false");
      }
      if (Boolean.FALSE.equals(sc.getRunAsNonRoot())
          || (!podNonRoot && !Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
        v.add(at + " must run with runAsNonRoot true (at pod or container level)");
      }
      if (Long.valueOf(0).equals(sc.getRunAsUser())) {
        v.add(at + " runAsUser must not be 0");
      }
      Capabilities caps = Optional.ofNullable(sc.getCapabilities()).orElseGet(Capabilities::new);
      if (!Optional.ofNullable(caps.getDrop()).orElse(List.of()).contains("ALL")) {
        v.add(at + " must drop ALL capabilities");
      }
      for (String add : Optional.ofNullable(caps.getAdd()).orElse(List.of())) {
        if (!add.equals("NET_BIND_SERVICE")) {
          v.add(at + " must not add capability " + add + " (only NET_BIND_SERVICE)");
        }
        if (!BASELINE_CAPABILITIES.contains(add)) {
          v.add(at + " adds " + add + ", outside even the baseline set");
        }
      }
    }
    return v;
  }

  private static void hostProcess(List<String> v, String at, WindowsSecurityContextOptions w) {
    if (w != null && Boolean.TRUE.equals(w.getHostProcess())) {
      v.add(at + ".windowsOptions.hostProcess must not be true");
    }
  }

  private static void seLinux(List<String> v, String at, SELinuxOptions o) {
    if (o == null) {
      return;
    }
    if (o.getType() != null && !o.getType().isEmpty() && !SELINUX_TYPES.contains(o.getType())) {
      v.add(at + ".seLinuxOptions.type " + o.getType() + " is not allowed");
    }
    if (o.getUser() != null && !o.getUser().isEmpty()) {
      v.add(at + ".seLinuxOptions.user must not be set");
    }
    if (o.getRole() != null && !o.getRole().isEmpty()) {
      v.add(at + ".seLinuxOptions.role must not be set");
    }
  }

  private static void appArmor(List<String> v, String at, AppArmorProfile p) {
    if (p != null && !Set.of("RuntimeDefault", "Localhost").contains(p.getType())) {
      v.add(at + ".appArmorProfile.type " + p.getType() + " is not allowed");
    }
  }

  /** True when the profile is RuntimeDefault or Localhost; a violation when Unconfined. */
  private static boolean seccomp(List<String> v, String at, SeccompProfile p) {
    if (p == null || p.getType() == null) {
      return false;
    }
    if (!Set.of("RuntimeDefault", "Localhost").contains(p.getType())) {
      v.add(
          at + ".seccompProfile.type must be RuntimeDefault or Localhost (is " + p.getType() + ")");
      return false;
    }
    return true;
  }
}
