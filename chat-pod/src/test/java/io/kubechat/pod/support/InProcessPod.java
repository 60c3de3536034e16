package io.kubechat.pod.support;

import io.kubechat.pod.PodLauncher;
import io.kubechat.pod.config.EnvConfigLoader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A single chat pod in the test JVM (real Vert.x, Hazelcast and sockets) on its own loopback
 * address, forming its own consensus group; its client port is 8080, its admin port 9090.
 */
public final class InProcessPod implements AutoCloseable {
  public static final int PORT = 8080;
  public static final int ADMIN_PORT = 9090;

  private final String ip;
  private final PodLauncher launcher;

  private InProcessPod(String ip, PodLauncher launcher) {
    this.ip = ip;
    this.launcher = launcher;
  }

  /** Starts the pod with {@code extraEnv} on top of quick test settings and waits until ready. */
  public static InProcessPod start(String ip, Map<String, String> extraEnv) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KUBECHAT_NODE_NAME", "solo-" + ip);
    env.put("KUBECHAT_POD_IP", ip);
    env.put("KUBECHAT_CLUSTER_NAME", "inproc-" + UUID.randomUUID());
    env.put("KUBECHAT_HEARTBEAT_INTERVAL_MS", "200");
    env.put("KUBECHAT_HEARTBEAT_TIMEOUT_MS", "1000");
    env.put("KUBECHAT_BOOTSTRAP", "true");
    env.put("KUBECHAT_RAFT_DISCOVERY_WINDOW_MS", "300");
    // as PodProcess: tests that are not about authentication run without it
    env.put("KUBECHAT_AUTH", "none");
    env.putAll(extraEnv);
    PodLauncher launcher =
        PodLauncher.start(EnvConfigLoader.load(env))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    InProcessPod pod = new InProcessPod(ip, launcher);
    Awaitility.await("pod on " + ip + " ready")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Http.get(ip, ADMIN_PORT, "/readyz").status() == 200);
    return pod;
  }

  public String ip() {
    return ip;
  }

  /** The pod's /metrics text (admin port). */
  public String metrics() {
    return Http.get(ip, ADMIN_PORT, "/metrics").body();
  }

  @Override
  public void close() throws Exception {
    launcher.stop().get(20, TimeUnit.SECONDS);
  }
}
