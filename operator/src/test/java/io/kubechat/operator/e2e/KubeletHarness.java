package io.kubechat.operator.e2e;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubechat.operator.crd.ChatCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the kubelet (and for the garbage collector of kube-controller-manager) on top of
 * the mock API server: for every new Pod it picks a pod IP from a loopback pool, starts a real
 * chat-pod process with the Pod's KUBECHAT_* environment (downward API values resolved), and writes
 * the Pod's status: Running, podIP, Ready from the process's readiness probe (/readyz on the admin
 * port, as the pod spec says). A deleted Pod gets SIGTERM, then SIGKILL after its grace period; a
 * process that dies on its own turns its Pod Failed. Deleting a ChatCluster deletes what it owns,
 * as the garbage collector would.
 *
 * <p>There is no DNS here, so the pods use static discovery over the whole IP pool instead of the
 * headless Service (KUBECHAT_DISCOVERY=static, KUBECHAT_STATIC_MEMBERS=the pool).
 */
public final class KubeletHarness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletHarness.class);
  static final String FINALIZER = "kubechat.io/test-kubelet";
  static final String NODE = "harness-node";

  private final KubernetesClient client;
  private final String namespace;
  private final Path podJar;
  private final List<String> pool;
  private final Path logDir;
  private final Map<String, RunningPod> running = new ConcurrentHashMap<>();
  private final Map<String, String> ipInUse = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "test-kubelet");
            t.setDaemon(true);
            return t;
          });
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final SharedIndexInformer<Pod> podInformer;
  private final SharedIndexInformer<ChatCluster> clusterInformer;
  private final Thread killer = new Thread(this::killAll, "test-kubelet-shutdown");
  private final List<Consumer<String>> exitListeners = new ArrayList<>();

  /** A pod process and what the harness knows about it. */
  static final class RunningPod {
    final String name;
    final String ip;
    final Process process;
    final long grace;
    final String uid;
    final URI readiness;
    volatile boolean stopping;
    volatile Boolean ready;

    RunningPod(String name, String ip, Process process, long grace, String uid, URI readiness) {
      this.name = name;
      this.ip = ip;
      this.process = process;
      this.grace = grace;
      this.uid = uid;
      this.readiness = readiness;
    }
  }

  /**
   * What the kubelet probes for readiness: the container's readinessProbe, its named port resolved
   * among the container's ports, on the pod's IP.
   */
  static URI readinessUri(Pod pod, String ip) {
    var container = pod.getSpec().getContainers().get(0);
    var get = container.getReadinessProbe().getHttpGet();
    int port =
        get.getPort().getIntVal() != null
            ? get.getPort().getIntVal()
            : container.getPorts().stream()
                .filter(p -> get.getPort().getStrVal().equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no container port " + get.getPort()))
                .getContainerPort();
    return URI.create("http://" + ip + ":" + port + get.getPath());
  }

  public KubeletHarness(
      KubernetesClient client, String namespace, Path podJar, List<String> pool, Path logDir) {
    this.client = client;
    this.namespace = namespace;
    this.podJar = podJar;
    this.pool = List.copyOf(pool);
    this.logDir = logDir;
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(killer);
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
        .createOr(n -> n.update());
    podInformer =
        client
            .pods()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    executor.execute(() -> handle(pod));
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod pod) {
                    executor.execute(() -> handle(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    executor.execute(() -> gone(pod.getMetadata().getName()));
                  }
                });
    clusterInformer =
        client
            .resources(ChatCluster.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ChatCluster c) {}

                  @Override
                  public void onUpdate(ChatCluster o, ChatCluster c) {}

                  @Override
                  public void onDelete(ChatCluster c, boolean unknown) {
                    executor.execute(() -> collectGarbage(c.getMetadata().getUid()));
                  }
                });
    executor.scheduleWithFixedDelay(this::probeAll, 300, 300, TimeUnit.MILLISECONDS);
  }

  /** Called with the pod name whenever a pod process exits for any reason. */
  public void onExit(Consumer<String> listener) {
    exitListeners.add(listener);
  }

  public Optional<RunningPod> process(String pod) {
    return Optional.ofNullable(running.get(pod));
  }

  public int runningProcesses() {
    return (int) running.values().stream().filter(r -> r.process.isAlive()).count();
  }

  /** kill -9 of a pod's process, as a crash or an OOM kill would. */
  public void kill9(String pod) {
    RunningPod r = running.get(pod);
    if (r != null) {
      LOG.info("kill -9 {} (pid {})", pod, r.process.pid());
      r.process.destroyForcibly();
    }
  }

  private synchronized void handle(Pod pod) {
    String name = pod.getMetadata().getName();
    RunningPod r = running.get(name);
    boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
    if (r != null && !r.uid.equals(pod.getMetadata().getUid())) {
      return; // an old incarnation's event
    }
    if (deleting) {
      if (r != null && !r.stopping) {
        stop(r, pod);
      } else if (r == null) {
        removeFinalizer(name);
      }
      return;
    }
    if (r == null
        && (pod.getStatus() == null
            || (pod.getStatus().getPodIP() == null
                && !"Failed".equals(pod.getStatus().getPhase())))) {
      start(pod);
    }
  }

  /**
   * The local directory behind the volume mounted at {@code mountPath}, as a kubelet keeps it: a
   * PVC's lives as long as the claim, an emptyDir's as long as the pod (its UID).
   */
  private Path volumeDir(Pod pod, String mountPath) {
    String volume =
        pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(mountPath))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("nothing mounted at " + mountPath))
            .getName();
    String key =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(volume) && v.getPersistentVolumeClaim() != null)
            .findFirst()
            .map(v -> "pvc-" + v.getPersistentVolumeClaim().getClaimName())
            .orElse("pod-" + pod.getMetadata().getUid() + "-" + volume);
    Path dir = logDir.resolve("volumes").resolve(key).toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * Writes every Secret volume of {@code pod} into its own directory, as a kubelet does (one file
   * per key), and returns mount path to directory; null if a Secret does not exist yet (a kubelet
   * keeps such a pod in ContainerCreating and tries again).
   */
  private Map<String, Path> secretVolumes(Pod pod) {
    Map<String, Path> byMountPath = new LinkedHashMap<>();
    for (VolumeMount m : pod.getSpec().getContainers().get(0).getVolumeMounts()) {
      Volume v =
          pod.getSpec().getVolumes().stream()
              .filter(x -> x.getName().equals(m.getName()))
              .findFirst()
              .orElseThrow();
      if (v.getSecret() == null) {
        continue;
      }
      Secret secret =
          client.secrets().inNamespace(namespace).withName(v.getSecret().getSecretName()).get();
      if (secret == null) {
        return null;
      }
      Path dir =
          logDir
              .resolve("volumes")
              .resolve("pod-" + pod.getMetadata().getUid() + "-" + v.getName())
              .toAbsolutePath();
      try {
        Files.createDirectories(dir);
        Map<String, String> data = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData())
            .ifPresent(
                d ->
                    d.forEach(
                        (k, b64) ->
                            data.put(
                                k,
                                new String(
                                    Base64.getDecoder().decode(b64), StandardCharsets.UTF_8))));
        Optional.ofNullable(secret.getStringData()).ifPresent(data::putAll);
        for (Map.Entry<String, String> e : data.entrySet()) {
          Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      byMountPath.put(m.getMountPath(), dir);
    }
    return byMountPath;
  }

  private void start(Pod pod) {
    String name = pod.getMetadata().getName();
    Map<String, Path> secrets = secretVolumes(pod);
    if (secrets == null) {
      executor.schedule(
          () -> {
            Pod latest = client.pods().inNamespace(namespace).withName(name).get();
            if (latest != null) {
              handle(latest);
            }
          },
          200,
          TimeUnit.MILLISECONDS);
      return;
    }
    String ip =
        pool.stream()
            .filter(a -> !ipInUse.containsKey(a))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("IP pool exhausted"));
    ipInUse.put(ip, name);
    patch(
        name,
        Map.of(
            "metadata",
            Map.of("finalizers", List.of(FINALIZER)),
            "spec",
            Map.of("nodeName", NODE)));
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
      env.put(
          e.getName(),
          e.getValue() != null
              ? e.getValue()
              : fieldRef(pod, ip, e.getValueFrom().getFieldRef().getFieldPath()));
    }
    // a setting that names a Secret's mount path gets the directory the Secret was written to
    env.replaceAll((k, v) -> secrets.containsKey(v) ? secrets.get(v).toString() : v);
    if (env.containsKey("KUBECHAT_DATA_DIR")) {
      env.put("KUBECHAT_DATA_DIR", volumeDir(pod, env.get("KUBECHAT_DATA_DIR")).toString());
    }
    env.put("KUBECHAT_DISCOVERY", "static");
    env.put("KUBECHAT_STATIC_MEMBERS", String.join(",", pool));
    // the e2e chats anonymously unless the ChatCluster's pods say otherwise (spec.auth)
    env.putIfAbsent("KUBECHAT_AUTH", "none");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true",
            "-jar",
            podJar.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("KUBECHAT_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(logDir.resolve(name + "-" + ip + ".log").toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long grace = Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
    RunningPod r =
        new RunningPod(name, ip, process, grace, pod.getMetadata().getUid(), readinessUri(pod, ip));
    running.put(name, r);
    LOG.info("started {} on {} (pid {})", name, ip, process.pid());
    String now = Instant.now().toString();
    Map<String, Object> status = new HashMap<>();
    status.put("phase", "Running");
    status.put("podIP", ip);
    status.put("podIPs", List.of(Map.of("ip", ip)));
    status.put("hostIP", "127.0.0.1");
    status.put("startTime", now);
    status.put("conditions", List.of(readyCondition(false, now)));
    status.put(
        "containerStatuses",
        List.of(
            new ContainerStatusBuilder()
                .withName("chat")
                .withReady(false)
                .withRestartCount(0)
                .withImage(pod.getSpec().getContainers().get(0).getImage())
                .withNewState()
                .withNewRunning()
                .withStartedAt(now)
                .endRunning()
                .endState()
                .build()));
    replaceStatus(name, status);
    process.onExit().thenRunAsync(() -> exited(r), executor);
  }

  private void exited(RunningPod r) {
    int code = r.process.exitValue();
    LOG.info("{} exited with {}{}", r.name, code, r.stopping ? " (stopped)" : "");
    exitListeners.forEach(l -> l.accept(r.name));
    if (!r.stopping) {
      String now = Instant.now().toString();
      Map<String, Object> status = new HashMap<>();
      status.put("phase", "Failed");
      status.put("conditions", List.of(readyCondition(false, now)));
      status.put(
          "containerStatuses",
          List.of(
              new ContainerStatusBuilder()
                  .withName("chat")
                  .withReady(false)
                  .withRestartCount(0)
                  .withNewState()
                  .withNewTerminated()
                  .withExitCode(code)
                  .withFinishedAt(now)
                  .withReason("Error")
                  .endTerminated()
                  .endState()
                  .build()));
      patchStatus(r.name, status);
    }
  }

  private void stop(RunningPod r, Pod pod) {
    r.stopping = true;
    long grace =
        Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds()).orElse(r.grace);
    LOG.info("stopping {} (SIGTERM, grace {} s)", r.name, grace);
    r.process.destroy();
    r.process
        .onExit()
        .orTimeout(grace, TimeUnit.SECONDS)
        .whenCompleteAsync(
            (p, err) -> {
              if (err != null) {
                LOG.warn("{} did not stop within {} s: SIGKILL", r.name, grace);
                r.process.destroyForcibly();
                r.process.onExit().join();
              }
              finish(r);
            },
            executor);
  }

  private void finish(RunningPod r) {
    running.remove(r.name, r);
    ipInUse.remove(r.ip, r.name);
    removeFinalizer(r.name);
  }

  private void gone(String name) {
    RunningPod r = running.get(name);
    if (r != null) {
      r.stopping = true;
      r.process.destroyForcibly();
      running.remove(name, r);
      ipInUse.remove(r.ip, name);
    }
  }

  private void probeAll() {
    for (RunningPod r : running.values()) {
      if (!r.process.isAlive() || r.stopping) {
        continue;
      }
      HttpRequest req = HttpRequest.newBuilder(r.readiness).timeout(Duration.ofMillis(500)).build();
      boolean ok;
      try {
        ok = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        ok = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!Boolean.valueOf(ok).equals(r.ready)) {
        r.ready = ok;
        String now = Instant.now().toString();
        try {
          patchStatus(
              r.name,
              Map.of(
                  "conditions", List.of(readyCondition(ok, now)),
                  "containerStatuses",
                      List.of(
                          new ContainerStatusBuilder()
                              .withName("chat")
                              .withReady(ok)
                              .withRestartCount(0)
                              .withNewState()
                              .withNewRunning()
                              .endRunning()
                              .endState()
                              .build())));
          LOG.info("{} ready={}", r.name, ok);
        } catch (KubernetesClientException e) {
          r.ready = null;
        }
      }
    }
  }

  private void collectGarbage(String ownerUid) {
    List<HasMetadata> owned = new ArrayList<>();
    owned.addAll(client.pods().inNamespace(namespace).list().getItems());
    owned.addAll(client.services().inNamespace(namespace).list().getItems());
    owned.addAll(
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
    for (HasMetadata o : owned) {
      if (o.getMetadata().getOwnerReferences().stream()
          .anyMatch(ref -> ownerUid.equals(ref.getUid()))) {
        try {
          client.resource(o).delete();
        } catch (KubernetesClientException e) {
          LOG.debug("garbage collection of {}: {}", o.getMetadata().getName(), e.getMessage());
        }
      }
    }
  }

  private static String fieldRef(Pod pod, String ip, String path) {
    return switch (path) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" ->
          Optional.ofNullable(pod.getMetadata().getUid()).orElse(pod.getMetadata().getName());
      case "status.podIP" -> ip;
      default -> throw new IllegalArgumentException("unsupported downward API field " + path);
    };
  }

  private static Map<String, Object> readyCondition(boolean ready, String now) {
    return Serialization.unmarshal(
        Serialization.asJson(
            new PodConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withLastTransitionTime(now)
                .build()),
        Map.class);
  }

  private void patch(String name, Map<String, Object> patch) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }

  /**
   * Sets status fields with JSON Patch "add" operations (which replace): the mock API server merges
   * lists on a merge patch, which would pile up conditions.
   */
  private void patchStatus(String name, Map<String, Object> fields) {
    List<Map<String, Object>> ops = new ArrayList<>();
    fields.forEach((k, v) -> ops.add(Map.of("op", "add", "path", "/status/" + k, "value", v)));
    jsonPatchStatus(name, ops);
  }

  private void replaceStatus(String name, Map<String, Object> status) {
    jsonPatchStatus(name, List.of(Map.of("op", "add", "path", "/status", "value", status)));
  }

  private void jsonPatchStatus(String name, List<Map<String, Object>> ops) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void removeFinalizer(String name) {
    try {
      Map<String, Object> meta = new HashMap<>();
      meta.put("finalizers", null);
      patch(name, Map.of("metadata", meta));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("removing the finalizer of {}: {}", name, e.getMessage());
      }
    }
  }

  private void killAll() {
    running.values().forEach(r -> r.process.destroyForcibly());
  }

  @Override
  public void close() {
    podInformer.close();
    clusterInformer.close();
    executor.shutdownNow();
    killAll();
    for (RunningPod r : running.values()) {
      try {
        r.process.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{} did not exit", r.name);
      }
    }
    running.clear();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // shutting down already
    }
  }
}
