package io.kubechat.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Entry point of the kubechat operator process. Connects with the current kubeconfig (or the
 * in-cluster service account) and runs until SIGTERM or SIGINT, then stops (releasing the Lease)
 * and exits 0.
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
    // SIGTERM and SIGINT are handled here, not in a shutdown hook: stopping releases the Lease,
    // and an exit requested while a hook runs would block for good. A clean stop exits 0 (a
    // hook-driven exit would be 143, which the kubelet records as an error).
    CountDownLatch signalled = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> signalled.countDown());
    Signal.handle(new Signal("INT"), s -> signalled.countDown());
    signalled.await();
    LOG.info("stopping");
    try {
      operator.close();
    } finally {
      client.close();
    }
    LOG.info("stopped");
    System.exit(0);
  }
}
