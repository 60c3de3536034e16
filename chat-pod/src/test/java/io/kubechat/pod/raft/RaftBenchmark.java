package io.kubechat.pod.raft;

import static io.kubechat.pod.raft.LocalCluster.get;
import static org.awaitility.Awaitility.await;

import io.kubechat.pod.chat.SendRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * In-process figures for docs/consensus.md, not a test: run with {@code ./mvnw -B -q -pl chat-pod
 * test -Dtest=RaftBenchmark -Dkubechat.bench=true -Dsurefire.failIfNoSpecifiedTests=false} and read
 * {@code target/surefire-reports/*-output.txt}.
 */
@EnabledIfSystemProperty(named = "kubechat.bench", matches = "true")
class RaftBenchmark {

  private static final int WARMUP = 500;
  private static final int SENDS = 3000;

  @Test
  void ackLatencyOverTheClusteredEventBus() {
    List<String> hosts = List.of("127.0.2.5", "127.0.2.6", "127.0.2.7");
    String cluster = "raft-bench-" + UUID.randomUUID();
    List<Future<Vertx>> starting = new ArrayList<>();
    for (String h : hosts) {
      starting.add(ClusteredNode.start(cluster, h, 5811, hosts));
    }
    List<Vertx> vertices = starting.stream().map(LocalCluster::get).toList();
    var view = TestPod.view();
    List<TestPod> pods = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        TestPod p =
            new TestPod(
                vertices.get(i),
                "b" + (i + 1),
                RaftSettings.defaults().withDiscoveryWindowMs(500).withBootstrap(i == 0),
                view);
        pods.add(p);
        get(p.backend.start());
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  pods.stream()
                      .anyMatch(
                          p ->
                              p.role().equals("LEADER")
                                  && p.backend.status().members().stream()
                                          .filter(m -> m.voter())
                                          .count()
                                      == 3));
      TestPod leader =
          pods.stream().filter(p -> p.role().equals("LEADER")).findFirst().orElseThrow();
      TestPod follower = pods.stream().filter(p -> p != leader).findFirst().orElseThrow();
      report("clustered, send on the leader's pod", sequential(leader, SENDS));
      report("clustered, send on a follower's pod (one forward hop)", sequential(follower, SENDS));
      saturate("clustered", pods);
    } finally {
      pods.forEach(p -> LocalCluster.get(p.backend.abort()));
      vertices.forEach(v -> LocalCluster.get(v.close()));
    }
  }

  @Test
  void failoverTimeWhenTheLeaderFallsSilent() {
    List<Long> times = new ArrayList<>();
    for (int run = 0; run < 12; run++) {
      try (LocalCluster c =
          LocalCluster.start(3, RaftSettings.defaults().withDiscoveryWindowMs(200))) {
        TestPod leader = c.leader();
        TestPod survivor = c.followers().get(0);
        get(survivor.backend.send(new SendRequest("g", "u", "c", "warm", "t", survivor.node)));
        // the leader's pod dies: nothing from or to it any more; a client keeps sending
        c.cutOff.add(leader.node);
        long t0 = System.nanoTime();
        AtomicLong committedAt = new AtomicLong();
        long periodic =
            c.vertx.setPeriodic(
                20,
                id ->
                    survivor
                        .backend
                        .send(
                            new SendRequest(
                                "g", "u", "c", "after-" + System.nanoTime(), "t", survivor.node))
                        .onSuccess(r -> committedAt.compareAndSet(0, System.nanoTime())));
        await().atMost(Duration.ofSeconds(20)).until(() -> committedAt.get() != 0);
        c.vertx.cancelTimer(periodic);
        times.add(TimeUnit.NANOSECONDS.toMillis(committedAt.get() - t0));
      }
    }
    Collections.sort(times);
    System.out.printf(
        "BENCH failover (leader silent -> first commit by a survivor), %d runs: "
            + "p50 %d ms, p99 %d ms, max %d ms, all %s%n",
        times.size(), pct(times, 50), pct(times, 99), times.get(times.size() - 1), times);
  }

  private static List<Long> sequential(TestPod p, int n) {
    List<Long> micros = new ArrayList<>(n);
    for (int i = 0; i < WARMUP + n; i++) {
      long t0 = System.nanoTime();
      get(p.backend.send(new SendRequest("bench", "u", "seq-" + p.node, "m" + i, "hello", p.node)));
      if (i >= WARMUP) {
        micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
      }
    }
    Collections.sort(micros);
    return micros;
  }

  private static void saturate(String label, List<TestPod> pods) {
    int clients = 100;
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    for (int c = 0; c < clients; c++) {
      TestPod p = pods.get(c % pods.size());
      loop(p, "sat-" + c, 0, running, acked, failed);
    }
    long start = acked.get();
    long t0 = System.nanoTime();
    await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    long n = acked.get() - start;
    double secs = (System.nanoTime() - t0) / 1e9;
    running.set(false);
    System.out.printf(
        "BENCH %s saturation, %d clients over %d pods: %.0f commits/s, %d failed%n",
        label, clients, pods.size(), n / secs, failed.get());
  }

  private static void loop(
      TestPod p, String client, int i, AtomicBoolean running, AtomicLong acked, AtomicLong failed) {
    if (!running.get()) {
      return;
    }
    p.backend
        .send(new SendRequest("sat", "u", client, "m" + i, "hello", p.node))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                acked.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
              loop(p, client, i + 1, running, acked, failed);
            });
  }

  private static void report(String label, List<Long> micros) {
    System.out.printf(
        "BENCH ack latency, %s, %d sequential sends: p50 %.2f ms, p99 %.2f ms, " + "max %.2f ms%n",
        label,
        micros.size(),
        pct(micros, 50) / 1000.0,
        pct(micros, 99) / 1000.0,
        micros.get(micros.size() - 1) / 1000.0);
  }

  private static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
