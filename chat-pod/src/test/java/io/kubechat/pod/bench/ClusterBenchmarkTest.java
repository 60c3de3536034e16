package io.kubechat.pod.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.TestPki;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The figures of docs/benchmarks.md, on a 3-pod loopback cluster of real processes with the default
 * timings. Not part of `verify` (tag "benchmark"); run it with {@code ./mvnw -B -pl chat-pod test
 * -Pbenchmark}. Results: chat-pod/target/benchmarks/results.md.
 */
@Tag("benchmark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBenchmarkTest {
  private static final int PORT = 8080;
  private static final int ADMIN_PORT = TestCluster.ADMIN_PORT;
  private static final List<String> IPS = List.of("127.0.7.2", "127.0.7.3", "127.0.7.4");
  private static final int FAILOVER_RUNS = Integer.getInteger("bench.failoverRuns", 20);
  private static final int LATENCY_SENDS = Integer.getInteger("bench.latencySends", 3000);
  private static final int WARM_UP_SENDS = Integer.getInteger("bench.warmUpSends", 3000);
  private static final int CLIENTS = Integer.getInteger("bench.clients", 100);
  private static final Duration SATURATION =
      Duration.ofSeconds(Integer.getInteger("bench.saturationSeconds", 10));
  // With a data directory each pod persists its Raft state (SQLite, fsync before the ack) and a
  // killed pod comes back as the same member; without, it is a new member, as a replaced pod.
  private static final boolean PERSISTENT = Boolean.getBoolean("bench.dataDir");

  /** With {@code -Dbench.clusterTls=true} the pods run a closed cluster (mutual TLS). */
  private static final boolean CLUSTER_TLS = Boolean.getBoolean("bench.clusterTls");

  private static final Path DATA_ROOT = Path.of("target", "benchmarks", "data").toAbsolutePath();

  private final Map<String, PodProcess> pods = new LinkedHashMap<>();
  private final List<String> report = new ArrayList<>();
  private Map<String, String> env;
  private Vertx vertx;

  @BeforeAll
  void startCluster() throws Exception {
    deleteRecursively(DATA_ROOT);
    Map<String, String> base =
        Map.of(
            "KUBECHAT_CLUSTER_NAME", "bench-" + UUID.randomUUID(),
            "KUBECHAT_DISCOVERY", "static",
            "KUBECHAT_STATIC_MEMBERS", String.join(",", IPS),
            // The per-connection limits protect pods from one client; the load here is on purpose.
            "KUBECHAT_RATE_LIMIT_PER_S", "100000",
            "KUBECHAT_OUTBOUND_QUEUE_FRAMES", "100000",
            "KUBECHAT_LOG_LEVEL", "WARN");
    env = new LinkedHashMap<>(base);
    if (CLUSTER_TLS) {
      Path tls =
          TestPki.newCa("bench-cluster-ca")
              .writeMemberDir(DATA_ROOT.resolveSibling("cluster-tls"), "bench-member");
      env.put("KUBECHAT_CLUSTER_TLS_DIR", tls.toAbsolutePath().toString());
    }
    for (int i = 0; i < IPS.size(); i++) {
      String node = "pod-" + (i + 1);
      // Only the first pod of a new cluster forms the group, as the operator does it.
      pods.put(node, pod(node, IPS.get(i), i == 0 ? PodProcess.bootstrapping(env) : env).start());
    }
    vertx = Vertx.vertx();
    awaitStableLeader(Set.of());
    report.add("# kubechat cluster benchmark, " + Instant.now());
    report.add("");
    report.add(
        "3 pods (separate JVMs, "
            + String.join(" ", PodProcess.PRODUCTION)
            + ") on "
            + String.join(", ", IPS)
            + ", default timings; "
            + Runtime.getRuntime().availableProcessors()
            + " cores shared by the pods and the load generator; Raft state "
            + (PERSISTENT ? "persisted in a data directory per pod" : "in memory")
            + "; event bus "
            + (CLUSTER_TLS
                ? "with mutual TLS (a closed cluster)."
                : "without TLS (an open cluster)."));
    report.add("");
  }

  private static PodProcess pod(String node, String ip, Map<String, String> env) {
    Map<String, String> podEnv = new LinkedHashMap<>(env);
    if (PERSISTENT) {
      podEnv.put("KUBECHAT_DATA_DIR", DATA_ROOT.resolve(node).toString());
    }
    return new PodProcess(
        node, ip, podEnv, Path.of("target", "benchmarks", "logs"), PodProcess.PRODUCTION);
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    pods.values().forEach(PodProcess::kill);
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    Path out = Path.of("target", "benchmarks", "results.md");
    Files.createDirectories(out.getParent());
    Files.write(out, report);
    System.out.println(String.join("\n", report));
  }

  @Test
  @Order(1)
  void ackLatencyAtLightLoad() throws Exception {
    String leader = awaitStableLeader(Set.of());
    String follower =
        pods.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    report.add(
        "## Send-to-ack latency, light load (one message in flight, "
            + LATENCY_SENDS
            + " sends after "
            + WARM_UP_SENDS
            + " warm-up sends)");
    report.add("");
    report.add("| client's pod | p50 ms | p99 ms | max ms | errors |");
    report.add("|---|---|---|---|---|");
    for (String node : List.of(leader, follower)) {
      try (BenchClient c = BenchClient.connect(vertx, pods.get(node).ip(), PORT, "lat")) {
        c.join("bench-ack");
        // Warm-up until the JIT has compiled the hot paths of the pods, as a pod in service has.
        for (int i = 0; i < WARM_UP_SENDS; i++) {
          c.send("bench-ack", "warm-up").get(5, TimeUnit.SECONDS);
        }
        List<Double> millis = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < LATENCY_SENDS; i++) {
          long start = System.nanoTime();
          BenchClient.Outcome o =
              c.send("bench-ack", "latency probe " + i).get(5, TimeUnit.SECONDS);
          if (o.acked()) {
            millis.add((o.answeredNanos() - start) / 1e6);
          } else {
            errors++;
          }
        }
        Percentiles p = Percentiles.of(millis);
        report.add(
            String.format(
                "| %s (%s) | %.2f | %.2f | %.2f | %d |",
                node,
                node.equals(leader) ? "leader" : "follower",
                p.p50(),
                p.p99(),
                p.max(),
                errors));
      }
    }
    report.add("");
  }

  @Test
  @Order(2)
  void fanOutDeliveryLatency() throws Exception {
    int receiversPerPod = 10;
    int messages = 500;
    String leader = awaitStableLeader(Set.of());
    ConcurrentLinkedQueue<Double> deliveries = new ConcurrentLinkedQueue<>();
    Map<Long, AtomicLong> lastArrival = new ConcurrentHashMap<>();
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    List<BenchClient> receivers = new ArrayList<>();
    try {
      for (PodProcess pod : pods.values()) {
        for (int i = 0; i < receiversPerPod; i++) {
          BenchClient r = BenchClient.connect(vertx, pod.ip(), PORT, "rcv");
          r.onMessage(
              m -> {
                long seq = m.frame().getLong("seq", -1L);
                Long sent = sentAt.get(seq);
                if (sent != null) {
                  deliveries.add((m.receivedNanos() - sent) / 1e6);
                  lastArrival
                      .computeIfAbsent(seq, s -> new AtomicLong())
                      .accumulateAndGet(m.receivedNanos(), Math::max);
                }
              });
          r.join("bench-fanout");
          receivers.add(r);
        }
      }
      String follower =
          pods.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      try (BenchClient sender = BenchClient.connect(vertx, pods.get(follower).ip(), PORT, "fan")) {
        sender.join("bench-fanout");
        long seqBase = sender.send("bench-fanout", "warm-up").get(5, TimeUnit.SECONDS).seq();
        for (int i = 1; i <= messages; i++) {
          // seq is assigned at commit; the next one is known because this is the group's only
          // sender.
          sentAt.put(seqBase + i, System.nanoTime());
          BenchClient.Outcome o =
              sender.send("bench-fanout", "fan-out " + i).get(5, TimeUnit.SECONDS);
          assertThat(o.acked()).as("fan-out send %d: %s", i, o.code()).isTrue();
          assertThat(o.seq()).isEqualTo(seqBase + i);
          LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
      }
      int expected = receivers.size() * messages;
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() >= expected);
      Percentiles each = Percentiles.of(deliveries);
      Percentiles last =
          Percentiles.of(
              lastArrival.entrySet().stream()
                  .map(e -> (e.getValue().get() - sentAt.get(e.getKey())) / 1e6)
                  .toList());
      report.add(
          "## Fan-out delivery latency ("
              + receivers.size()
              + " receivers, 10 per pod, one sender on a"
              + " follower's pod, "
              + messages
              + " messages at 50/s)");
      report.add("");
      report.add("| measured from send to | p50 ms | p99 ms | max ms | deliveries |");
      report.add("|---|---|---|---|---|");
      report.add(
          String.format(
              "| each receiver | %.2f | %.2f | %.2f | %d |",
              each.p50(), each.p99(), each.max(), each.count()));
      report.add(
          String.format(
              "| the last receiver of a message | %.2f | %.2f | %.2f | %d |",
              last.p50(), last.p99(), last.max(), last.count()));
      report.add("");
    } finally {
      receivers.forEach(BenchClient::close);
    }
  }

  @Test
  @Order(3)
  void throughputAtSaturation() throws Exception {
    int groups = 10;
    int window = 8;
    awaitStableLeader(Set.of());
    List<PodProcess> targets = new ArrayList<>(pods.values());
    List<BenchClient> clients = new ArrayList<>();
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        BenchClient c =
            BenchClient.connect(vertx, targets.get(i % targets.size()).ip(), PORT, "load");
        c.join("bench-load-" + (i % groups));
        clients.add(c);
      }
      long warmUpEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      long end = warmUpEnd + SATURATION.toNanos();
      for (int i = 0; i < clients.size(); i++) {
        BenchClient c = clients.get(i);
        String group = "bench-load-" + (i % groups);
        for (int w = 0; w < window; w++) {
          keepSending(c, group, end, warmUpEnd, acked, failed, latencies);
        }
      }
      Awaitility.await()
          .atMost(SATURATION.plusSeconds(30))
          .until(() -> System.nanoTime() > end + Duration.ofSeconds(2).toNanos());
      double perSecond = acked.get() / (SATURATION.toNanos() / 1e9);
      Percentiles p = Percentiles.of(latencies);
      report.add("## Committed messages per second at saturation");
      report.add("");
      report.add(
          String.format(
              "%d clients spread over the 3 pods, %d groups of %d, each client keeping %d sends in"
                  + " flight for %d s (after 2 s of warm-up): **%.0f committed messages/s**;"
                  + " send-to-ack latency under this load p50 %.1f ms, p99 %.1f ms; %d sends"
                  + " refused (retryable).",
              CLIENTS,
              groups,
              CLIENTS / groups,
              window,
              SATURATION.toSeconds(),
              perSecond,
              p.p50(),
              p.p99(),
              failed.get()));
      report.add("");
    } finally {
      clients.forEach(BenchClient::close);
    }
  }

  private void keepSending(
      BenchClient c,
      String group,
      long end,
      long measureFrom,
      AtomicLong acked,
      AtomicLong failed,
      ConcurrentLinkedQueue<Double> latencies) {
    long start = System.nanoTime();
    if (start > end || c.isClosed()) {
      return;
    }
    c.send(group, "load")
        .thenAccept(
            o -> {
              if (start >= measureFrom && o.answeredNanos() <= end) {
                if (o.acked()) {
                  acked.incrementAndGet();
                  latencies.add((o.answeredNanos() - start) / 1e6);
                } else {
                  failed.incrementAndGet();
                }
              }
              keepSending(c, group, end, measureFrom, acked, failed, latencies);
            });
  }

  @Test
  @Order(4)
  void failoverAfterKillingTheLeader() throws Exception {
    List<Double> commitMillis = new ArrayList<>();
    List<Double> electedMillis = new ArrayList<>();
    List<Double> voterMillis = new ArrayList<>();
    for (int run = 0; run < FAILOVER_RUNS; run++) {
      String leader = awaitStableLeader(Set.of());
      String survivor =
          pods.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      PodProcess dead = pods.get(leader);
      try (BenchClient probe = BenchClient.connect(vertx, pods.get(survivor).ip(), PORT, "probe")) {
        probe.join("bench-failover");
        assertThat(probe.send("bench-failover", "before").get(5, TimeUnit.SECONDS).acked())
            .isTrue();

        long killedAt = System.nanoTime();
        dead.kill();
        Long elected = null;
        Long committed = null;
        String probeId = "probe-" + run;
        while (committed == null
            && System.nanoTime() - killedAt < Duration.ofSeconds(30).toNanos()) {
          BenchClient.Outcome o =
              probe.send("bench-failover", "probe", probeId).get(10, TimeUnit.SECONDS);
          if (o.acked()) {
            committed = o.answeredNanos();
          } else {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
          }
          if (elected == null) {
            JsonObject s = Http.status(pods.get(survivor).ip(), ADMIN_PORT);
            if (s != null
                && s.getString("leader") != null
                && !leader.equals(s.getString("leader"))) {
              elected = System.nanoTime();
            }
          }
        }
        assertThat(committed).as("run %d: a commit after killing %s", run, leader).isNotNull();
        commitMillis.add((committed - killedAt) / 1e6);
        if (elected != null) {
          electedMillis.add((elected - killedAt) / 1e6);
        }
      }
      // The same pod name comes back: the same member with a data directory, else a new one.
      long restartedAt = System.nanoTime();
      pods.put(leader, pod(leader, dead.ip(), env).start());
      awaitStableLeader(Set.of(leader));
      voterMillis.add((System.nanoTime() - restartedAt) / 1e6);
    }
    Percentiles voter = Percentiles.of(voterMillis);
    Percentiles commit = Percentiles.of(commitMillis);
    Percentiles elected = Percentiles.of(electedMillis);
    report.add("## Failover: kill -9 of the leader (" + commit.count() + " runs)");
    report.add("");
    report.add(
        "A client on a surviving pod sends a message every 5 ms (after each answer) from the kill"
            + " on.");
    report.add("");
    report.add("| from kill -9 to | p50 ms | p99 ms | max ms |");
    report.add("|---|---|---|---|");
    report.add(
        String.format(
            "| the new leader's first commit (ack of a send) | %.0f | %.0f | %.0f |",
            commit.p50(), commit.p99(), commit.max()));
    report.add(
        String.format(
            "| a survivor's /status naming a new leader | %.0f | %.0f | %.0f |",
            elected.p50(), elected.p99(), elected.max()));
    report.add(
        String.format(
            "| (from its restart) the killed pod ready again as a voter | %.0f | %.0f | %.0f |",
            voter.p50(), voter.p99(), voter.max()));
    report.add("");
    report.add(
        "Runs (ms to first commit): "
            + commitMillis.stream()
                .map(m -> String.format("%.0f", m))
                .collect(Collectors.joining(", ")));
    report.add("");
  }

  /**
   * Waits until every pod runs, is ready, and all agree on one leader; {@code rejoining} pods must
   * also have finished joining (a voter, not a learner). Returns the leader's node name.
   */
  private String awaitStableLeader(Set<String> rejoining) {
    return Awaitility.await("one leader agreed by all pods")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String leader = null;
              for (PodProcess pod : pods.values()) {
                JsonObject s = Http.status(pod.ip(), ADMIN_PORT);
                if (!pod.isAlive()
                    || s == null
                    || !s.getBoolean("ready", false)
                    || s.getString("leader") == null) {
                  return null;
                }
                if (rejoining.contains(pod.node())
                    && !Set.of("LEADER", "FOLLOWER").contains(s.getString("role"))) {
                  return null;
                }
                if (leader != null && !leader.equals(s.getString("leader"))) {
                  return null;
                }
                leader = s.getString("leader");
              }
              return leader;
            },
            Objects::nonNull);
  }
}
