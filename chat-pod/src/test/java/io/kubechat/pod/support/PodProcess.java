package io.kubechat.pod.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chat pod in its own JVM, started from the test class path (no packaged jar needed) with
 * KUBECHAT_* variables. Every process is also registered with a shutdown hook, so none outlives the
 * test JVM even when a test fails.
 */
public final class PodProcess {
  private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();
  private static final String OPENS =
      "--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens"
          + " java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-opens java.management/sun.management=ALL-UNNAMED --add-opens"
          + " jdk.management/com.sun.management.internal=ALL-UNNAMED";

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
  }

  private final String node;
  private final String ip;
  private final Map<String, String> env;
  private final Path log;
  private final List<String> jvmFlags;
  private Process process;

  /** Flags for tests: a small heap and the quickest start-up, at the cost of peak speed. */
  public static final List<String> FAST_START =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** Flags as the container image runs a pod (full JIT, default GC), for benchmarks. */
  public static final List<String> PRODUCTION = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");

  public PodProcess(String node, String ip, Map<String, String> env, Path logDir) {
    this(node, ip, env, logDir, FAST_START);
  }

  public PodProcess(
      String node, String ip, Map<String, String> env, Path logDir, List<String> jvmFlags) {
    this.jvmFlags = List.copyOf(jvmFlags);
    this.node = node;
    this.ip = ip;
    this.env = Map.copyOf(env);
    this.log = logDir.resolve(node + ".log");
  }

  /**
   * {@code env} plus {@code KUBECHAT_BOOTSTRAP=true}: for the first pod of a test cluster only, the
   * one that forms the consensus group (the others join it).
   */
  public static Map<String, String> bootstrapping(Map<String, String> env) {
    Map<String, String> e = new HashMap<>(env);
    e.put("KUBECHAT_BOOTSTRAP", "true");
    return e;
  }

  public synchronized PodProcess start() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(OPENS.split(" ")));
    cmd.addAll(jvmFlags);
    cmd.addAll(
        List.of(
            "-Xshare:auto",
            "-Djava.net.preferIPv4Stack=true",
            "-cp",
            System.getProperty("java.class.path"),
            "io.kubechat.pod.ChatPodMain"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("KUBECHAT_"));
    // tests that are not about authentication run without it; theirs set KUBECHAT_AUTH themselves
    // (an empty value means unset: the default, jwt)
    pb.environment().put("KUBECHAT_AUTH", "none");
    pb.environment().putAll(env);
    pb.environment().put("KUBECHAT_NODE_NAME", node);
    pb.environment().put("KUBECHAT_POD_IP", ip);
    pb.redirectErrorStream(true);
    try {
      Files.createDirectories(log.getParent());
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start pod " + node, e);
    }
    ALL.add(process);
    return this;
  }

  /** kill -9. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** SIGTERM: graceful shutdown. */
  public synchronized void terminate() {
    if (process != null) {
      process.destroy();
    }
  }

  /** SIGSTOP: the process freezes, as a paused or starved container does. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int rc =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill -" + name + " failed: " + rc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  public void waitFor() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ALL.remove(process);
  }

  public Integer exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? null : p.exitValue();
  }

  public String node() {
    return node;
  }

  public String ip() {
    return ip;
  }

  public File logFile() {
    return log.toFile();
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
