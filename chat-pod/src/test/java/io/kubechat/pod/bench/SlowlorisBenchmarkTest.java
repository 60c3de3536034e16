package io.kubechat.pod.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.Slowloris;
import io.kubechat.pod.support.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 3000 slowloris connections against one chat pod process (image JVM flags, default settings:
 * header timeout 10 s): every connection dribbles a header byte every 2 s (every tenth sends
 * nothing). Measures when the pod has closed them all and how a legitimate request fares meanwhile.
 * Not part of `verify` (tag "benchmark"): {@code ip netns exec <ns> ./mvnw -B -pl chat-pod test
 * -Pbenchmark -Dtest=SlowlorisBenchmarkTest}; the figures go to docs/benchmarks.md.
 */
@Tag("benchmark")
class SlowlorisBenchmarkTest {
  static final String IP = "127.0.21.4";
  static final int CONNECTIONS = 3000;

  @Test
  void threeThousandDribblingConnectionsAreClosedWithin30Seconds() throws Exception {
    PodProcess pod =
        new PodProcess(
            "slowloris",
            IP,
            PodProcess.bootstrapping(
                Map.of(
                    "KUBECHAT_CLUSTER_NAME",
                    "slowloris-" + UUID.randomUUID(),
                    "KUBECHAT_DISCOVERY",
                    "static",
                    "KUBECHAT_STATIC_MEMBERS",
                    IP,
                    "KUBECHAT_RAFT_DISCOVERY_WINDOW_MS",
                    "300")),
            Path.of("target", "slowloris-bench-logs"),
            PodProcess.PRODUCTION);
    pod.start();
    try {
      Awaitility.await("pod ready")
          .atMost(Duration.ofSeconds(60))
          .until(() -> Http.get(IP, TestCluster.ADMIN_PORT, "/readyz").status() == 200);
      // a legitimate client asks for the page every 500 ms during the attack
      AtomicBoolean attacking = new AtomicBoolean(true);
      List<Long> pageMs = new ArrayList<>();
      List<Integer> pageStatus = new ArrayList<>();
      CompletableFuture<Void> legit =
          CompletableFuture.runAsync(
              () -> {
                while (attacking.get()) {
                  long t0 = System.nanoTime();
                  int status = Http.get(IP, TestCluster.PORT, "/").status();
                  synchronized (pageMs) {
                    pageMs.add((System.nanoTime() - t0) / 1_000_000);
                    pageStatus.add(status);
                  }
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      Slowloris.Result r = Slowloris.run(IP, TestCluster.PORT, CONNECTIONS, 2000, 60_000);
      attacking.set(false);
      legit.join();
      String metrics = Http.get(IP, TestCluster.ADMIN_PORT, "/metrics").body();
      List<Long> sorted;
      synchronized (pageMs) {
        sorted = pageMs.stream().sorted().toList();
      }
      System.out.printf(
          "SLOWLORIS connections=%d allOpenMs=%d closedByServer=%d lastCloseMs=%d runMs=%d"
              + " legitRequests=%d legitAllOk=%s legitP50Ms=%d legitMaxMs=%d%n",
          r.opened(),
          r.allOpenMs(),
          r.closedByServer(),
          r.lastCloseMs(),
          r.elapsedMs(),
          sorted.size(),
          pageStatus.stream().allMatch(s -> s == 200),
          sorted.get(sorted.size() / 2),
          sorted.get(sorted.size() - 1));
      metrics
          .lines()
          .filter(l -> l.startsWith("kubechat_http_connections"))
          .forEach(l -> System.out.println("SLOWLORIS " + l));
      assertThat(r.closedByServer()).isEqualTo(CONNECTIONS);
      assertThat(r.lastCloseMs()).isLessThan(30_000);
      assertThat(pageStatus).containsOnly(200);
    } finally {
      pod.kill();
    }
  }
}
