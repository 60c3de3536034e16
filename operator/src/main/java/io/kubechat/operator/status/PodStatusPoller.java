package io.kubechat.operator.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.kubechat.operator.crd.ChatCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every pod's {@code /status} in parallel on the operator's own threads, caches the latest
 * observation per pod and triggers a reconcile of the owning ChatCluster when something that
 * matters for decisions changed. The reconciler only reads the cache and tells the poller which
 * pods exist ({@link #track}); a changed target set is polled at once.
 */
public final class PodStatusPoller extends AbstractEventSource<PodObservation, ChatCluster>
    implements ResourceEventAware<ChatCluster> {
  private static final Logger LOG = LoggerFactory.getLogger(PodStatusPoller.class);

  private final Duration interval;
  private final Duration timeout;
  private final Clock clock;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Map<ResourceID, Map<String, String>> targets = new ConcurrentHashMap<>();
  private final Map<ResourceID, Map<String, PodObservation>> cache = new ConcurrentHashMap<>();
  private final Map<ResourceID, String> fingerprints = new ConcurrentHashMap<>();
  private final Set<ResourceID> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<ResourceID> again = ConcurrentHashMap.newKeySet();
  private final Map<ResourceID, Long> lastPoll = new ConcurrentHashMap<>();
  private static final Duration DEBOUNCE = Duration.ofSeconds(1);
  private ScheduledExecutorService ticker;
  private ExecutorService httpExecutor;
  private HttpClient http;

  private final Consumer<ResourceID> onClusterDeleted;

  /**
   * @param onClusterDeleted told when a ChatCluster is gone, to drop what others keep about it
   */
  public PodStatusPoller(
      Duration interval, Duration timeout, Clock clock, Consumer<ResourceID> onClusterDeleted) {
    super(PodObservation.class, "pod-status-poller");
    this.onClusterDeleted = onClusterDeleted;
    this.interval = interval;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    ticker = Executors.newSingleThreadScheduledExecutor(daemon("kubechat-status-poll-tick"));
    httpExecutor = Executors.newFixedThreadPool(2, daemon("kubechat-status-poll-http"));
    http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .executor(httpExecutor)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    ticker.scheduleWithFixedDelay(
        this::pollAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    super.start();
  }

  @Override
  public synchronized void stop() {
    super.stop();
    if (ticker != null) {
      ticker.shutdownNow();
      httpExecutor.shutdownNow();
    }
  }

  /**
   * Sets the pods to poll for a cluster: pod name to {@code host:port}. Called by the reconciler on
   * every reconcile, i.e. on every pod event; never blocks. A changed set is polled at once, an
   * unchanged one at once too unless it was polled less than a second ago (a poll result that
   * triggers a reconcile must not poll again right away).
   */
  public void track(ResourceID cluster, Map<String, String> podAddresses) {
    Map<String, String> copy = Map.copyOf(podAddresses);
    Map<String, String> old = targets.put(cluster, copy);
    long now = System.nanoTime();
    Long last = lastPoll.get(cluster);
    boolean changed = !copy.equals(old);
    if (changed || last == null || now - last > DEBOUNCE.toNanos()) {
      cache.computeIfPresent(
          cluster,
          (k, m) -> {
            m.keySet().removeIf(pod -> !copy.containsKey(pod));
            return m;
          });
      ScheduledExecutorService t = ticker;
      if (t != null && !t.isShutdown()) {
        t.execute(() -> poll(cluster));
      }
    }
  }

  /** The latest observation of each tracked pod of a cluster. */
  public Map<String, PodObservation> observations(ResourceID cluster) {
    Map<String, PodObservation> m = cache.get(cluster);
    return m == null ? Map.of() : Map.copyOf(m);
  }

  @Override
  public Set<PodObservation> getSecondaryResources(ChatCluster primary) {
    return new HashSet<>(observations(ResourceID.fromResource(primary)).values());
  }

  @Override
  public void onResourceDeleted(ChatCluster resource) {
    ResourceID id = ResourceID.fromResource(resource);
    targets.remove(id);
    cache.remove(id);
    fingerprints.remove(id);
    lastPoll.remove(id);
    onClusterDeleted.accept(id);
  }

  private void pollAll() {
    try {
      targets.keySet().forEach(this::poll);
    } catch (RuntimeException e) {
      LOG.warn("status poll round failed", e);
    }
  }

  private void poll(ResourceID cluster) {
    Map<String, String> pods = targets.get(cluster);
    if (pods == null) {
      return;
    }
    if (!inFlight.add(cluster)) {
      again.add(cluster);
      return;
    }
    lastPoll.put(cluster, System.nanoTime());
    List<CompletableFuture<PodObservation>> polls =
        pods.entrySet().stream().map(e -> pollPod(cluster, e.getKey(), e.getValue())).toList();
    CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, err) -> {
              try {
                record(cluster, polls.stream().map(CompletableFuture::join).toList());
              } catch (RuntimeException e) {
                LOG.warn("recording status poll of {} failed", cluster, e);
              } finally {
                inFlight.remove(cluster);
                if (again.remove(cluster)) {
                  ticker.execute(() -> poll(cluster));
                }
              }
            });
  }

  private CompletableFuture<PodObservation> pollPod(
      ResourceID cluster, String pod, String address) {
    Optional<PodStatusReport> previous =
        Optional.ofNullable(cache.get(cluster))
            .map(m -> m.get(pod))
            .filter(o -> o.address().equals(address))
            .flatMap(PodObservation::report);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + address + "/status"))
            .timeout(timeout)
            .GET()
            .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            resp -> {
              // A pod without quorum may answer 503 with a valid body saying why: read it.
              try {
                PodStatusReport r = json.readValue(resp.body(), PodStatusReport.class);
                if (r.node() != null) {
                  return PodObservation.ok(pod, address, r, clock.instant());
                }
              } catch (Exception e) {
                LOG.debug("unreadable /status from {}: {}", pod, e.getMessage());
              }
              return PodObservation.failed(
                  pod,
                  address,
                  previous,
                  "HTTP " + resp.statusCode() + " from /status without a readable body",
                  clock.instant());
            })
        .exceptionally(
            e ->
                PodObservation.failed(
                    pod,
                    address,
                    previous,
                    "/status unreachable: " + describe(e),
                    clock.instant()));
  }

  private void record(ResourceID cluster, List<PodObservation> results) {
    Map<String, String> current = targets.get(cluster);
    if (current == null) {
      return;
    }
    Map<String, PodObservation> fresh = new ConcurrentHashMap<>();
    for (PodObservation o : results) {
      if (o.address().equals(current.get(o.pod()))) {
        fresh.put(o.pod(), o);
      }
    }
    cache.put(cluster, fresh);
    String fingerprint =
        fresh.values().stream()
            .map(PodObservation::fingerprint)
            .sorted()
            .collect(Collectors.joining("\n"));
    String old = fingerprints.put(cluster, fingerprint);
    if (!fingerprint.equals(old) && isRunning()) {
      LOG.debug("pod status of {} changed; triggering reconcile", cluster);
      getEventHandler().handleEvent(new Event(cluster));
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null || t instanceof CompletionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
