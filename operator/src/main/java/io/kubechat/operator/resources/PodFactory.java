package io.kubechat.operator.resources;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubechat.operator.crd.AntiAffinity;
import io.kubechat.operator.crd.ChatCluster;
import io.kubechat.operator.crd.ChatClusterSpec;
import io.kubechat.operator.crd.ChatPodTemplate;
import io.kubechat.operator.crd.ClientSpec;
import io.kubechat.operator.crd.HeartbeatSpec;
import io.kubechat.operator.crd.ImagePullPolicy;
import io.kubechat.operator.crd.RaftSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the chat pods. Every pod carries the hash of its spec (without the bootstrap flag, which
 * only the first pod of a new cluster gets, and without the cluster size) so that a spec change is
 * seen as an outdated pod.
 */
public final class PodFactory {
  public static final String BOOTSTRAP_ENV = "KUBECHAT_BOOTSTRAP";
  public static final String CLUSTER_SIZE_ENV = "KUBECHAT_CLUSTER_SIZE";
  private static final int DEFAULT_TERMINATION_GRACE_SECONDS = 30;

  private final String defaultImage;
  private final String clusterDomain;

  public PodFactory(String defaultImage, String clusterDomain) {
    this.defaultImage = defaultImage;
    this.clusterDomain = clusterDomain;
  }

  /** The pod with the given ordinal; {@code bootstrap} marks the pod that forms a new group. */
  public Pod pod(ChatCluster c, int ordinal, boolean bootstrap) {
    Pod pod = withoutHash(c, ordinal);
    pod.getMetadata().getAnnotations().put(Names.SPEC_HASH_ANNOTATION, desiredHash(c));
    // The size when the pod was made; not in the hash, so that scaling does not roll pods.
    pod.getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .add(env(CLUSTER_SIZE_ENV, Integer.toString(replicas(c))));
    if (bootstrap) {
      pod.getMetadata().getAnnotations().put(Names.BOOTSTRAP_ANNOTATION, "true");
      pod.getSpec().getContainers().get(0).getEnv().add(env(BOOTSTRAP_ENV, "true"));
    }
    return pod;
  }

  /**
   * The spec hash a pod of this cluster should carry now; computed on the pod with ordinal 0 so
   * that it is the same for every ordinal.
   */
  public String desiredHash(ChatCluster c) {
    return hash(withoutHash(c, 0));
  }

  private Pod withoutHash(ChatCluster c, int ordinal) {
    ChatClusterSpec s = c.getSpec();
    ChatPodTemplate t = Optional.ofNullable(s.getPodTemplate()).orElseGet(ChatPodTemplate::new);
    String name = Names.pod(c, ordinal);
    Map<String, String> labels = new TreeMap<>();
    Optional.ofNullable(t.getLabels()).ifPresent(labels::putAll);
    labels.putAll(Names.labels(c, "chat-pod"));
    labels.put(Names.ORDINAL_LABEL, Integer.toString(ordinal));
    Map<String, String> annotations = new TreeMap<>();
    Optional.ofNullable(t.getAnnotations()).ifPresent(annotations::putAll);

    Pod pod =
        new PodBuilder()
            .withMetadata(Owners.meta(c, name, labels))
            .editMetadata()
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withHostname(name)
            .withSubdomain(Names.headlessService(c))
            .withEnableServiceLinks(false)
            .withRestartPolicy("Always")
            .withTerminationGracePeriodSeconds(terminationGrace(s))
            .withNodeSelector(t.getNodeSelector())
            .withTolerations(t.getTolerations())
            .withAffinity(affinity(c, t.getAffinity()))
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(PodSecurity.pod())
            .withVolumes(concat(PodVolumes.volumes(c, ordinal), PodAuth.volumes(c)))
            .withContainers(container(c))
            .endSpec()
            .build();
    return pod;
  }

  private Container container(ChatCluster c) {
    ChatClusterSpec s = c.getSpec();
    String image = Optional.ofNullable(s.getImage()).filter(i -> !i.isBlank()).orElse(defaultImage);
    return new ContainerBuilder()
        .withName(Names.CONTAINER)
        .withImage(image)
        .withImagePullPolicy(
            Optional.ofNullable(s.getImagePullPolicy()).orElse(ImagePullPolicy.IfNotPresent).name())
        .addNewPort()
        .withName("http")
        .withContainerPort(Names.HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("admin")
        .withContainerPort(Names.ADMIN_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("hazelcast")
        .withContainerPort(Names.HAZELCAST_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("eventbus")
        .withContainerPort(Names.EVENTBUS_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(c))
        .withResources(DefaultResources.orDefault(s.getResources()))
        // all on the admin port; the startup probe gives the JVM and the join up to 60 s before
        // liveness counts
        .withStartupProbe(probe("/healthz", 1, 2, 30))
        .withReadinessProbe(probe("/readyz", 2, 2, 3))
        .withLivenessProbe(probe("/healthz", 0, 10, 3))
        .withSecurityContext(PodSecurity.container())
        .withVolumeMounts(concat(PodVolumes.mounts(c), PodAuth.mounts(c)))
        .build();
  }

  /** The KUBECHAT_* environment of a pod; optional settings only when the spec sets them. */
  List<EnvVar> env(ChatCluster c) {
    ChatClusterSpec s = c.getSpec();
    String ns = c.getMetadata().getNamespace();
    List<EnvVar> env = new ArrayList<>();
    env.add(fieldRef("KUBECHAT_NODE_NAME", "metadata.name"));
    env.add(fieldRef("KUBECHAT_POD_IP", "status.podIP"));
    env.add(env("KUBECHAT_CLUSTER_NAME", c.getMetadata().getName()));
    env.add(env("KUBECHAT_DISCOVERY", "kubernetes"));
    env.add(
        env(
            "KUBECHAT_CLUSTER_SERVICE",
            Names.headlessService(c) + "." + ns + ".svc." + clusterDomain));
    env.add(env("KUBECHAT_HTTP_PORT", Integer.toString(Names.HTTP_PORT)));
    env.add(env("KUBECHAT_ADMIN_PORT", Integer.toString(Names.ADMIN_PORT)));
    env.add(env("KUBECHAT_HAZELCAST_PORT", Integer.toString(Names.HAZELCAST_PORT)));
    env.add(env("KUBECHAT_EVENTBUS_PORT", Integer.toString(Names.EVENTBUS_PORT)));
    env.add(env("KUBECHAT_DATA_DIR", PodVolumes.DATA_DIR));
    env.add(fieldRef("KUBECHAT_POD_UID", "metadata.uid"));
    env.add(env("KUBECHAT_CLUSTER_TLS_DIR", PodVolumes.CLUSTER_TLS_DIR));
    if (PodVolumes.clientTlsSecret(c).isPresent()) {
      env.add(env("KUBECHAT_CLIENT_TLS_DIR", PodVolumes.CLIENT_TLS_DIR));
    }
    HeartbeatSpec hb = s.getHeartbeat();
    if (hb != null) {
      optional(env, "KUBECHAT_HEARTBEAT_INTERVAL_MS", hb.getIntervalMillis());
      optional(env, "KUBECHAT_HEARTBEAT_TIMEOUT_MS", hb.getTimeoutMillis());
    }
    ClientSpec cl = s.getClient();
    if (cl != null) {
      optional(env, "KUBECHAT_CLIENT_IDLE_TIMEOUT_S", cl.getIdleTimeoutSeconds());
      optional(env, "KUBECHAT_MAX_FRAME_BYTES", cl.getMaxFrameBytes());
    }
    optional(env, "KUBECHAT_MAX_TEXT_BYTES", s.getMaxMessageBytes());
    optional(env, "KUBECHAT_HISTORY_LIMIT", s.getHistoryLimit());
    RaftSpec r = s.getRaft();
    if (r != null) {
      seconds(env, "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S", r.getHeartbeatPeriodSeconds());
      seconds(env, "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S", r.getHeartbeatTimeoutSeconds());
      optional(env, "KUBECHAT_RAFT_ELECTION_TIMEOUT_MS", r.getElectionTimeoutMillis());
      optional(env, "KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S", r.getMemberRemovalTimeoutSeconds());
    }
    optional(env, "KUBECHAT_SHUTDOWN_GRACE_S", s.getShutdownGraceSeconds());
    env.addAll(PodAuth.env(c));
    return env;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static int replicas(ChatCluster c) {
    return Optional.ofNullable(c.getSpec().getReplicas()).orElse(3);
  }

  /** Long enough for the pod's graceful leave (its own grace plus margin). */
  public static long terminationGrace(ChatClusterSpec s) {
    return s.getShutdownGraceSeconds() == null
        ? DEFAULT_TERMINATION_GRACE_SECONDS
        : s.getShutdownGraceSeconds() + 10L;
  }

  private static Affinity affinity(ChatCluster c, Affinity user) {
    AntiAffinity mode =
        Optional.ofNullable(c.getSpec().getAntiAffinity()).orElse(AntiAffinity.preferred);
    if (mode == AntiAffinity.none) {
      return user;
    }
    PodAffinityTerm term =
        new PodAffinityTermBuilder()
            .withTopologyKey("kubernetes.io/hostname")
            .withLabelSelector(
                new LabelSelectorBuilder().withMatchLabels(Names.selector(c)).build())
            .build();
    Affinity base = user == null ? new Affinity() : new AffinityBuilder(user).build();
    PodAntiAffinity anti =
        base.getPodAntiAffinity() == null
            ? new PodAntiAffinity()
            : new PodAntiAffinityBuilder(base.getPodAntiAffinity()).build();
    if (mode == AntiAffinity.required) {
      List<PodAffinityTerm> req =
          new ArrayList<>(
              Optional.ofNullable(anti.getRequiredDuringSchedulingIgnoredDuringExecution())
                  .orElse(List.of()));
      req.add(term);
      anti.setRequiredDuringSchedulingIgnoredDuringExecution(req);
    } else {
      var pref =
          new ArrayList<>(
              Optional.ofNullable(anti.getPreferredDuringSchedulingIgnoredDuringExecution())
                  .orElse(List.of()));
      pref.add(
          new WeightedPodAffinityTermBuilder().withWeight(100).withPodAffinityTerm(term).build());
      anti.setPreferredDuringSchedulingIgnoredDuringExecution(pref);
    }
    base.setPodAntiAffinity(anti);
    return base;
  }

  private static Probe probe(String path, int initialDelay, int period, int failures) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("admin"))
        // the admin port never speaks TLS, also when spec.tls puts the client port on it
        .withScheme("HTTP")
        .endHttpGet()
        .withInitialDelaySeconds(initialDelay)
        .withPeriodSeconds(period)
        .withTimeoutSeconds(1)
        .withFailureThreshold(failures)
        .build();
  }

  private static void seconds(List<EnvVar> env, String name, Double value) {
    if (value != null) {
      env.add(env(name, BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()));
    }
  }

  private static void optional(List<EnvVar> env, String name, Integer value) {
    if (value != null) {
      env.add(env(name, value.toString()));
    }
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  /** Hash of the pod's spec, labels and annotations. */
  private static String hash(Pod pod) {
    Map<String, Object> material = new TreeMap<>();
    material.put("spec", pod.getSpec());
    Map<String, String> labels = new TreeMap<>(pod.getMetadata().getLabels());
    labels.remove(Names.ORDINAL_LABEL);
    material.put("labels", labels);
    material.put("annotations", new TreeMap<>(pod.getMetadata().getAnnotations()));
    String json = Serialization.asJson(material);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
