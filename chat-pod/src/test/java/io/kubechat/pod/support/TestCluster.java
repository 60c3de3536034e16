package io.kubechat.pod.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * Chat pods as real processes on loopback addresses, for tests that kill and restart them: the
 * first pod bootstraps the consensus group; every later start (a restart under the same name, a new
 * incarnation) joins it, as the operator does.
 */
public final class TestCluster implements AutoCloseable {
  /** The client port (WebSockets, the page). */
  public static final int PORT = 8080;

  /**
   * The admin port (/status, /readyz, /metrics, the admin action): KUBECHAT_ADMIN_PORT's default.
   */
  public static final int ADMIN_PORT = 9090;

  private final Map<String, String> env;
  private final Path logs;
  private final Path data;
  private final Map<String, PodProcess> pods = new LinkedHashMap<>();

  private TestCluster(Map<String, String> env, Path logs, Path data) {
    this.env = Map.copyOf(env);
    this.logs = logs;
    this.data = data;
  }

  /**
   * Starts pods {@code pod-1..pod-N} on {@code ips} (static discovery, a unique cluster name, pod
   * heartbeats 200 ms / 1 s, Raft heartbeats 0.2 s / leader timeout 1 s, a DEAD member removed
   * after 3 s, no readiness grace, no move of clients) with {@code extraEnv} on top, and waits
   * until they are all ready.
   */
  public static TestCluster start(String name, List<String> ips, Map<String, String> extraEnv) {
    return start(name, ips, extraEnv, null);
  }

  /**
   * As {@link #start(String, List, Map)}, each pod with its own data directory {@code data/<pod>}
   * (KUBECHAT_DATA_DIR), which a {@link #restart} keeps: a restart in place.
   */
  public static TestCluster startWithData(
      String name, List<String> ips, Map<String, String> extraEnv, Path data) {
    return start(name, ips, extraEnv, data);
  }

  private static TestCluster start(
      String name, List<String> ips, Map<String, String> extraEnv, Path data) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "KUBECHAT_CLUSTER_NAME", name + "-" + UUID.randomUUID(),
                "KUBECHAT_DISCOVERY", "static",
                "KUBECHAT_STATIC_MEMBERS", String.join(",", ips),
                "KUBECHAT_HEARTBEAT_INTERVAL_MS", "200",
                "KUBECHAT_HEARTBEAT_TIMEOUT_MS", "1000",
                "KUBECHAT_SHUTDOWN_GRACE_S", "8",
                "KUBECHAT_RAFT_DISCOVERY_WINDOW_MS", "500",
                "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S", "0.2",
                "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S", "1",
                "KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S", "3"));
    // The fault tests read /readyz as "can commit now" and keep clients on a pod without quorum:
    // the readiness grace and the move of clients are off unless a test turns them on
    // (CommitWatchProcessTest).
    env.put("KUBECHAT_READY_GRACE_MS", "0");
    env.put("KUBECHAT_MOVE_CLIENTS_AFTER_MS", "0");
    env.putAll(extraEnv);
    TestCluster c = new TestCluster(env, Path.of("target", name + "-logs"), data);
    for (int i = 0; i < ips.size(); i++) {
      String node = "pod-" + (i + 1);
      Map<String, String> podEnv = c.envOf(node);
      // with KUBECHAT_CLUSTER_SIZE the pods form their group themselves, else pod-1 bootstraps it
      boolean bootstraps = i == 0 && !env.containsKey("KUBECHAT_CLUSTER_SIZE");
      PodProcess p =
          new PodProcess(
              node, ips.get(i), bootstraps ? PodProcess.bootstrapping(podEnv) : podEnv, c.logs);
      c.pods.put(p.node(), p.start());
    }
    c.awaitAllAlive();
    return c;
  }

  private Map<String, String> envOf(String node) {
    if (data == null) {
      return env;
    }
    Map<String, String> e = new HashMap<>(env);
    e.put("KUBECHAT_DATA_DIR", dataDir(node).toAbsolutePath().toString());
    return e;
  }

  /** The data directory of {@code node} (only for a cluster started with data directories). */
  public Path dataDir(String node) {
    return data.resolve(node);
  }

  /** Starts {@code node} again (after a kill) with the same name, address and data directory. */
  public PodProcess start(String node) {
    PodProcess old = pods.get(node);
    PodProcess p = new PodProcess(node, old.ip(), envOf(node), logs).start();
    pods.put(node, p);
    return p;
  }

  /**
   * Starts a process outside this cluster's pods, on {@code ip}, with the cluster's settings (so it
   * joins the same Hazelcast cluster) under pod name {@code node}, plus {@code extraEnv}: an
   * impostor or a stranger. The caller kills it.
   */
  public PodProcess startOutsider(String node, String ip, Map<String, String> extraEnv) {
    Map<String, String> e = new HashMap<>(env);
    e.put("KUBECHAT_STATIC_MEMBERS", env.get("KUBECHAT_STATIC_MEMBERS") + "," + ip);
    e.putAll(extraEnv);
    return new PodProcess(node, ip, e, logs.resolve("outsiders")).start();
  }

  public PodProcess pod(String node) {
    return pods.get(node);
  }

  public List<PodProcess> pods() {
    return List.copyOf(pods.values());
  }

  public List<PodProcess> live() {
    return pods.values().stream().filter(PodProcess::isAlive).toList();
  }

  public String ip(String node) {
    return pods.get(node).ip();
  }

  /**
   * A new process under the same pod name that joins the running group: a new incarnation, or with
   * data directories the same member restarted in place.
   */
  public PodProcess restart(String node) {
    PodProcess old = pods.get(node);
    if (old.isAlive()) {
      old.kill();
    }
    return start(node);
  }

  /** Every pod process runs, is ready and sees every other ALIVE. */
  public void awaitAllAlive() {
    PodsReady.awaitAllAlive(pods.values(), ADMIN_PORT, Duration.ofSeconds(90));
  }

  public JsonObject status(String node) {
    return Http.status(pods.get(node).ip(), ADMIN_PORT);
  }

  /**
   * Waits until the running pods agree: exactly one says LEADER, all name it as leader in the same
   * term and are available. Returns the leader's pod name.
   */
  public String awaitAgreedLeader(Duration atMost) {
    String[] leader = new String[1];
    Awaitility.await("one leader that every running pod agrees on")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              List<JsonObject> statuses = new ArrayList<>();
              for (PodProcess p : live()) {
                JsonObject s = Http.status(p.ip(), ADMIN_PORT);
                assertThat(s).as("status of %s", p.node()).isNotNull();
                statuses.add(s);
              }
              assertThat(statuses).filteredOn(s -> "LEADER".equals(s.getString("role"))).hasSize(1);
              String l =
                  statuses.stream()
                      .filter(s -> "LEADER".equals(s.getString("role")))
                      .findFirst()
                      .orElseThrow()
                      .getString("node");
              long term = statuses.get(0).getLong("term");
              for (JsonObject s : statuses) {
                assertThat(s.getString("leader"))
                    .as("leader on %s", s.getString("node"))
                    .isEqualTo(l);
                assertThat(s.getLong("term")).as("term on %s", s.getString("node")).isEqualTo(term);
                assertThat(s.getBoolean("available"))
                    .as("available on %s", s.getString("node"))
                    .isTrue();
              }
              leader[0] = l;
            });
    return leader[0];
  }

  /**
   * Waits until the leader's consensus group is exactly the running pods' current incarnations, all
   * voters (so that losing any one of them keeps a majority). Returns the leader's name.
   */
  public String awaitAllVoters(Duration atMost) {
    String[] leader = new String[1];
    Awaitility.await("every running pod a voter, nothing else in the group")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              String l = awaitAgreedLeader(atMost);
              JsonObject s = status(l);
              assertThat(s).isNotNull();
              List<String> expected = new ArrayList<>();
              for (PodProcess p : live()) {
                JsonObject ps = Http.status(p.ip(), ADMIN_PORT);
                assertThat(ps).isNotNull();
                expected.add(p.node() + "/" + ps.getString("incarnation") + "/voter");
              }
              List<String> actual =
                  s.getJsonArray("raftMembers").stream()
                      .map(JsonObject.class::cast)
                      .map(
                          m ->
                              m.getString("node")
                                  + "/"
                                  + m.getString("incarnation")
                                  + "/"
                                  + (m.getBoolean("voter") ? "voter" : "learner"))
                      .toList();
              assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
              leader[0] = l;
            });
    return leader[0];
  }

  /** The consensus members in {@code observer}'s /status as {@code node/incarnation}. */
  public List<String> raftMembers(String observer) {
    JsonObject s = status(observer);
    return s == null
        ? List.of()
        : s.getJsonArray("raftMembers").stream()
            .map(JsonObject.class::cast)
            .map(m -> m.getString("node") + "/" + m.getString("incarnation"))
            .toList();
  }

  @Override
  public void close() {
    pods.values().forEach(PodProcess::kill);
  }
}
