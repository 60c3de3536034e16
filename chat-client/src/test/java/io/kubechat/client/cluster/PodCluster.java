package io.kubechat.client.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real chat pods as separate processes on loopback addresses of this test's range, with static
 * discovery and a unique cluster name. Every process is destroyed on {@link #close()} and, should
 * the test JVM die first, by a shutdown hook.
 */
public final class PodCluster implements AutoCloseable {
  /** The chat-pod jar is not a server (yet): it exited at once with code 0. */
  public static final class NotAServerException extends RuntimeException {
    NotAServerException(String message) {
      super(message);
    }
  }

  private final Path podJar;
  private final List<String> ips;
  private final String clusterName = "client-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final Path logDir;
  private final Process[] processes;
  private final Map<String, String> settings;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Thread killer = new Thread(this::destroyAll, "pod-cluster-killer");

  public PodCluster(Path podJar, List<String> ips, Path logRoot) throws IOException {
    this(podJar, ips, logRoot, Map.of());
  }

  /** {@code settings}: KUBECHAT_* variables every pod gets on top of the cluster's own. */
  public PodCluster(Path podJar, List<String> ips, Path logRoot, Map<String, String> settings)
      throws IOException {
    this.podJar = podJar;
    this.settings = Map.copyOf(settings);
    this.ips = List.copyOf(ips);
    this.processes = new Process[ips.size()];
    this.logDir = Files.createDirectories(logRoot.resolve(clusterName));
    Runtime.getRuntime().addShutdownHook(killer);
  }

  public String clusterName() {
    return clusterName;
  }

  public String nodeName(int pod) {
    return "pod-" + pod;
  }

  /** The pod's wss:// endpoint (a pod with KUBECHAT_CLIENT_TLS_DIR). */
  public URI wssUri(int pod) {
    return URI.create("wss://" + ips.get(pod) + ":8080/ws");
  }

  public URI wsUri(int pod) {
    return URI.create("ws://" + ips.get(pod) + ":8080/ws");
  }

  public Path log(int pod) {
    return logDir.resolve(nodeName(pod) + ".log");
  }

  public void startAll() throws IOException {
    for (int pod = 0; pod < ips.size(); pod++) {
      start(pod);
    }
  }

  public void start(int pod) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-jar",
                podJar.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(pod).toFile()));
    Map<String, String> env = builder.environment();
    env.put("KUBECHAT_NODE_NAME", nodeName(pod));
    env.put("KUBECHAT_POD_IP", ips.get(pod));
    env.put("KUBECHAT_CLUSTER_NAME", clusterName);
    env.put("KUBECHAT_DISCOVERY", "static");
    env.put("KUBECHAT_STATIC_MEMBERS", String.join(",", ips));
    env.put("KUBECHAT_HTTP_PORT", "8080");
    env.put("KUBECHAT_ADMIN_PORT", "9090");
    env.put("KUBECHAT_HEARTBEAT_INTERVAL_MS", "200");
    env.put("KUBECHAT_HEARTBEAT_TIMEOUT_MS", "1000");
    env.put("KUBECHAT_BOOTSTRAP", pod == 0 ? "true" : "false");
    // tests not about authentication run without it; theirs override KUBECHAT_AUTH in settings
    env.put("KUBECHAT_AUTH", "none");
    env.putAll(settings);
    processes[pod] = builder.start();
  }

  /** Waits until every running pod answers /readyz (on its admin port, 9090) with 200. */
  public void awaitReady(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              boolean ready = true;
              for (int pod = 0; pod < processes.length; pod++) {
                Process process = processes[pod];
                if (process == null) {
                  continue;
                }
                if (!process.isAlive()) {
                  String log = Files.exists(log(pod)) ? Files.readString(log(pod)) : "";
                  if (process.exitValue() == 0) {
                    throw new NotAServerException(
                        nodeName(pod) + " exited at once with code 0: " + log.strip());
                  }
                  throw new IllegalStateException(
                      nodeName(pod)
                          + " exited with code "
                          + process.exitValue()
                          + "; log "
                          + log(pod)
                          + ":\n"
                          + tail(log));
                }
                ready &= isReady(pod);
              }
              return ready;
            });
  }

  public boolean isReady(int pod) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + ips.get(pod) + ":9090/readyz"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** kill -9. */
  public void kill(int pod) throws InterruptedException {
    Process process = processes[pod];
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
      processes[pod] = null;
    }
  }

  public List<Integer> running() {
    List<Integer> running = new ArrayList<>();
    for (int pod = 0; pod < processes.length; pod++) {
      if (processes[pod] != null && processes[pod].isAlive()) {
        running.add(pod);
      }
    }
    return running;
  }

  private void destroyAll() {
    for (int pod = 0; pod < processes.length; pod++) {
      Process process = processes[pod];
      if (process != null) {
        process.destroyForcibly();
      }
    }
    for (Process process : processes) {
      if (process != null) {
        try {
          process.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    destroyAll();
    for (int pod = 0; pod < processes.length; pod++) {
      processes[pod] = null;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
