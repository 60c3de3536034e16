package io.kubechat.pod.raft;

import static org.awaitility.Awaitility.await;

import io.kubechat.pod.cluster.MemberInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pods sharing one local Vert.x, each with its own event-bus address, as a cluster would have.
 * Partitions drop Raft traffic to and from the cut-off pods with an outbound interceptor.
 */
final class LocalCluster implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Map<String, MemberInfo> view = TestPod.view();
  final List<TestPod> pods = new ArrayList<>();
  final Set<String> cutOff = ConcurrentHashMap.newKeySet();
  private final RaftSettings settings;

  LocalCluster(RaftSettings settings) {
    this.settings = settings;
    vertx.eventBus().addOutboundInterceptor(this::filter);
  }

  private void filter(DeliveryContext<Object> dc) {
    String address = dc.message().address();
    String from = dc.message().headers().get(RaftAddresses.FROM);
    boolean toCut = cutOff.stream().anyMatch(n -> address.equals(RaftAddresses.pod(n)));
    boolean fromCut = from != null && cutOff.contains(from);
    if (toCut != fromCut) {
      return; // dropped: it crosses the partition
    }
    dc.next();
  }

  /** Starts n pods: the first bootstraps, the others join one after the other. */
  static LocalCluster start(int n, RaftSettings settings) {
    LocalCluster c = new LocalCluster(settings);
    for (int i = 1; i <= n; i++) {
      c.startPod("n" + i, i == 1);
    }
    c.awaitVoters(n);
    return c;
  }

  TestPod startPod(String node, boolean bootstrap) {
    TestPod pod = new TestPod(vertx, node, settings.withBootstrap(bootstrap), view);
    pods.add(pod);
    get(pod.backend.start());
    return pod;
  }

  void awaitVoters(int n) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              TestPod l = leader();
              return l != null
                  && l.backend.status().members().stream().filter(m -> m.voter()).count() == n;
            });
  }

  TestPod leader() {
    return pods.stream().filter(p -> p.role().equals("LEADER")).findFirst().orElse(null);
  }

  TestPod pod(String node) {
    return pods.stream().filter(p -> p.node.equals(node)).findFirst().orElseThrow();
  }

  List<TestPod> followers() {
    return pods.stream().filter(p -> p.role().equals("FOLLOWER")).toList();
  }

  static <T> T get(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }

  @Override
  public void close() {
    cutOff.clear();
    List<Future<Void>> stops = new ArrayList<>();
    for (TestPod p : pods) {
      stops.add(p.backend.abort());
    }
    try {
      Future.all(stops).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing Vert.x below releases everything anyway
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // nothing left to do
    }
  }
}
