package io.kubechat.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubechat.operator.support.MockApi;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator as its own process, with leader election on: SIGTERM stops it within seconds with
 * status 0, and the Lease is released so that another operator can lead at once.
 */
class OperatorShutdownTest {

  @Test
  void sigtermExitsZeroAndReleasesTheLease() throws Exception {
    try (MockApi api = new MockApi("127.0.3.6")) {
      var client = api.client();
      Path log = Files.createTempFile("kubechat-operator-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  OperatorMain.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.put("KUBERNETES_MASTER", client.getMasterUrl().toString());
      env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
      env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
      env.put("KUBECONFIG", new File("target/no-kubeconfig").getAbsolutePath());
      env.put("HOSTNAME", "operator-under-test");
      env.put("KUBECHAT_OPERATOR_LEADER_ELECTION", "true");
      env.put("KUBECHAT_OPERATOR_LEASE_NAMESPACE", "ops");
      env.put("KUBECHAT_OPERATOR_HTTP_HOST", "127.0.3.6");
      env.put("KUBECHAT_OPERATOR_HTTP_PORT", "0");
      Process p = pb.start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(p.isAlive()).as("operator alive; log %s", log).isTrue();
                  Lease lease = lease(api);
                  assertThat(lease).isNotNull();
                  assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("operator-under-test");
                });
        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(10, TimeUnit.SECONDS))
            .as("exited within 10 s after SIGTERM; log:%n%s", Files.readString(log))
            .isTrue();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(p.exitValue()).as("exit status; log:%n%s", Files.readString(log)).isZero();
        assertThat(lease(api).getSpec().getHolderIdentity()).as("Lease holder").isNullOrEmpty();
        System.out.printf("operator exited 0, %d ms after SIGTERM%n", ms);
      } finally {
        p.destroyForcibly();
        Files.deleteIfExists(log);
      }
    }
  }

  private static Lease lease(MockApi api) {
    return api.client().leases().inNamespace("ops").withName("kubechat-operator").get();
  }
}
