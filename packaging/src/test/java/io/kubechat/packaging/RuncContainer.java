package io.kubechat.packaging;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One container run by Debian's runc from an OCI bundle: a root file system and the config.json
 * written here, which runs the image's entry point as the image's user, in the image's working
 * directory, with no capabilities and no new privileges (as the pods' security contexts ask), and a
 * read-only root with a tmpfs on /tmp (as the operator's Deployment has it). It shares the test's
 * network namespace, so that the test reaches the container on a loopback address.
 */
final class RuncContainer implements AutoCloseable {
  private final String id;
  private final Process runc;
  private final Path log;

  private RuncContainer(String id, Process runc, Path log) {
    this.id = id;
    this.runc = runc;
    this.log = log;
  }

  /** Why runc cannot run containers here, if it cannot. */
  static Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("runc needs root");
    }
    try {
      if (new ProcessBuilder("runc", "--version").start().waitFor() != 0) {
        return Optional.of("runc --version fails");
      }
      if (Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .noneMatch(l -> l.contains(" - cgroup"))) {
        // `ip netns exec` mounts a fresh /sys without them; `nsenter --net=...` keeps them.
        return Optional.of("runc needs the cgroup file systems mounted on /sys/fs/cgroup");
      }
    } catch (IOException e) {
      return Optional.of("runc is not installed (apt-get install runc): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    return Optional.empty();
  }

  /**
   * Writes {@code bundle/config.json} for the root file system in {@code bundle/rootfs} and starts
   * the container, its output going to {@code bundle/container.log}.
   */
  static RuncContainer start(
      Path bundle, String id, OciImage.Settings image, List<String> baseEnv, List<String> env) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("ociVersion", "1.0.2");
    config.put("process", process(image, baseEnv, env));
    config.put("root", Map.of("path", "rootfs", "readonly", true));
    config.put("hostname", id);
    config.put(
        "mounts",
        List.of(
            mount("/proc", "proc", "proc"),
            mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
            mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "mode=0620"),
            mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "size=65536k"),
            mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
            mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev")));
    config.put(
        "linux",
        Map.of(
            "namespaces",
            List.of(
                Map.of("type", "pid"),
                Map.of("type", "ipc"),
                Map.of("type", "uts"),
                Map.of("type", "mount")),
            "maskedPaths",
            List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"),
            "readonlyPaths",
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")));
    try {
      Files.writeString(bundle.resolve("config.json"), Serialization.asJson(config));
      Path log = bundle.resolve("container.log");
      Process runc =
          new ProcessBuilder("runc", "run", "--bundle", bundle.toString(), id)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new RuncContainer(id, runc, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a signal to the container's first process, as the kubelet does to stop it. */
  void signal(String signal) {
    runc("kill", id, signal);
  }

  /** The container's exit status once it has exited within {@code timeout}, else empty. */
  Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    return runc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? Optional.of(runc.exitValue())
        : Optional.empty();
  }

  boolean exited() {
    return !runc.isAlive();
  }

  /** What the container printed so far, for failure messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (runc.isAlive()) {
        signal("KILL");
        runc.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      runc("delete", "--force", id);
      runc.destroyForcibly();
    }
  }

  /**
   * The process as a runtime derives it from the image: entry point and command, the image's
   * environment over the base's, then the container's own (as the kubelet adds a pod's env).
   */
  private static Map<String, Object> process(
      OciImage.Settings image, List<String> baseEnv, List<String> env) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (List<String> layer : List.of(baseEnv, image.env(), env)) {
      for (String e : layer) {
        environment.put(e.substring(0, e.indexOf('=')), e);
      }
    }
    List<String> args = new ArrayList<>(image.entrypoint());
    args.addAll(image.cmd());
    String[] user = (image.user() + ":0").split(":");
    Map<String, Object> process = new LinkedHashMap<>();
    process.put("terminal", false);
    process.put("user", Map.of("uid", Long.parseLong(user[0]), "gid", Long.parseLong(user[1])));
    process.put("args", args);
    process.put("env", List.copyOf(environment.values()));
    process.put("cwd", image.workingDir() == null ? "/" : image.workingDir());
    List<String> none = List.of();
    process.put(
        "capabilities",
        Map.of(
            "bounding", none,
            "effective", none,
            "permitted", none,
            "inheritable", none,
            "ambient", none));
    process.put("noNewPrivileges", true);
    return process;
  }

  private static Map<String, Object> mount(
      String destination, String type, String source, String... options) {
    return Map.of(
        "destination", destination, "type", type, "source", source, "options", List.of(options));
  }

  private static void runc(String... args) {
    List<String> command = new ArrayList<>(List.of("runc"));
    command.addAll(List.of(args));
    try {
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
