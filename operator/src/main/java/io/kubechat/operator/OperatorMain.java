package io.kubechat.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the kubechat operator process. Connects with the current kubeconfig (or the
 * in-cluster service account) and runs until SIGTERM.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("kubechat operator " + OperatorConfig.version());
      System.out.println("Runs against the current kubeconfig or the in-cluster service account.");
      System.out.println("Environment variables:");
      OperatorConfig.VARIABLES.forEach((k, v) -> System.out.printf("  %-36s default %s%n", k, v));
      return;
    }
    OperatorConfig cfg;
    try {
      cfg = OperatorConfig.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.err.println("kubechat operator: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    KubechatOperator operator;
    try {
      operator = KubechatOperator.start(client, cfg);
    } catch (RuntimeException e) {
      LOG.error("cannot start against {}: {}", client.getMasterUrl(), e.getMessage(), e);
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping");
                  try {
                    operator.close();
                  } finally {
                    client.close();
                    stopped.countDown();
                  }
                },
                "kubechat-operator-shutdown"));
    stopped.await();
  }
}
