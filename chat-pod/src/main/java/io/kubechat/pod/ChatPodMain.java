package io.kubechat.pod;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.kubechat.pod.config.ConfigException;
import io.kubechat.pod.config.EnvConfigLoader;
import io.kubechat.pod.config.PodConfig;
import io.kubechat.pod.config.UnknownVariables;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Entry point of a chat pod process: {@code --help}, configuration, start, SIGTERM handling. */
public final class ChatPodMain {
  private ChatPodMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(EnvConfigLoader.help());
      return;
    }
    if (args.length > 0) {
      System.err.println(
          "unknown argument "
              + args[0]
              + "; the pod is configured by environment variables, see --help");
      System.exit(2);
    }
    PodConfig config;
    try {
      config = EnvConfigLoader.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("kubechat chat pod: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    System.setProperty(
        "vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("java.net.preferIPv4Stack", "true");
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger("io.kubechat")
        .setLevel(Level.toLevel(config.logLevel()));
    Logger log = LoggerFactory.getLogger(ChatPodMain.class);
    UnknownVariables.warnings(System.getenv()).forEach(log::warn);

    PodLauncher launcher;
    try {
      launcher =
          PodLauncher.start(config)
              .toCompletionStage()
              .toCompletableFuture()
              .get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("pod failed to start", e);
      System.exit(1);
      return;
    }
    long graceMs = config.shutdownGraceS() * 1000L;
    // A signal handler rather than a shutdown hook: a clean stop then exits 0, where a hook-driven
    // exit is 143, which the kubelet records as reason Error.
    CountDownLatch signalled = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> signalled.countDown());
    Signal.handle(new Signal("INT"), s -> signalled.countDown());
    signalled.await();
    log.info("SIGTERM: stopping within {} s", config.shutdownGraceS());
    try {
      launcher.stop().get(Math.max(500, graceMs - 500), TimeUnit.MILLISECONDS);
      log.info("stopped");
      System.exit(0);
    } catch (Exception e) {
      log.warn("graceful stop did not finish within the grace period; exiting anyway");
      System.exit(1);
    }
  }
}
