package io.kubechat.pod.raft;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link RaftSettings} from environment variables (names in docs/consensus.md). An invalid
 * value fails with an {@link IllegalArgumentException} whose message names the variable.
 */
public final class RaftEnv {

  /** One variable, for --help and the docs. */
  public record Variable(String name, String defaultValue, String range, String meaning) {}

  public static final List<Variable> VARIABLES =
      List.of(
          new Variable(
              "KUBECHAT_BOOTSTRAP",
              "false",
              "true|false",
              "form a new consensus group if discovery finds none"),
          new Variable(
              "KUBECHAT_CLUSTER_SIZE",
              "0",
              "0..1000",
              "the number of pods of the cluster (the operator sets spec.replicas); when set, the"
                  + " pods form their group without a bootstrap pod, once all of them answer"),
          new Variable(
              "KUBECHAT_RAFT_DISCOVERY_WINDOW_MS",
              "1500",
              "50..60000",
              "how long to wait for answers to a group discovery request"),
          new Variable(
              "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S",
              "0.25",
              "0.05..60, step 0.05",
              "Raft leader heartbeat period (decimal seconds)"),
          new Variable(
              "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S",
              "1",
              "period+0.05..300, step 0.05",
              "leader silence after which followers elect a new leader (decimal seconds)"),
          new Variable(
              "KUBECHAT_RAFT_ELECTION_TIMEOUT_MS",
              "500",
              "100..60000",
              "how long a candidate waits for votes"),
          new Variable(
              "KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S",
              "30",
              "1..86400",
              "a member whose pod is DEAD this long is removed from the group"),
          new Variable(
              "KUBECHAT_HISTORY_LIMIT", "1000", "1..1000000", "messages kept per group for replay"),
          new Variable(
              "KUBECHAT_RAFT_SNAPSHOT_EVERY",
              "10000",
              ">= 10",
              "committed entries between two snapshots (bounds the log)"),
          new Variable(
              "KUBECHAT_RAFT_SEND_TIMEOUT_MS",
              "2000",
              "100..60000",
              "upper bound of a send/join/leave before UNAVAILABLE"),
          new Variable(
              "KUBECHAT_RAFT_FORWARD_TIMEOUT_MS",
              "1000",
              "50..send timeout",
              "upper bound of one event-bus hop to the leader"),
          new Variable(
              "KUBECHAT_RAFT_PROMOTE_LAG",
              "20",
              ">= 0",
              "a learner this many entries behind the commit index is promoted to voter"),
          new Variable(
              "KUBECHAT_DEDUP_PER_CLIENT",
              "256",
              ">= 1",
              "message ids remembered per client for deduplication"),
          new Variable(
              "KUBECHAT_DEDUP_CLIENTS",
              "10000",
              ">= 1",
              "clients remembered for deduplication (least recently sending dropped first)"),
          new Variable(
              "KUBECHAT_RAFT_MAINTENANCE_MS",
              "250",
              "10..10000",
              "how often the leader checks learners and dead members"));

  private static final Map<String, String> FIELD_TO_VARIABLE =
      Map.ofEntries(
          Map.entry("discoveryWindowMs", "KUBECHAT_RAFT_DISCOVERY_WINDOW_MS"),
          Map.entry("heartbeatPeriodMs", "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S"),
          Map.entry("heartbeatTimeoutMs", "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S"),
          Map.entry("electionTimeoutMs", "KUBECHAT_RAFT_ELECTION_TIMEOUT_MS"),
          Map.entry("memberRemovalTimeoutS", "KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S"),
          Map.entry("historyLimit", "KUBECHAT_HISTORY_LIMIT"),
          Map.entry("snapshotEveryEntries", "KUBECHAT_RAFT_SNAPSHOT_EVERY"),
          Map.entry("sendTimeoutMs", "KUBECHAT_RAFT_SEND_TIMEOUT_MS"),
          Map.entry("forwardTimeoutMs", "KUBECHAT_RAFT_FORWARD_TIMEOUT_MS"),
          Map.entry("promoteLagEntries", "KUBECHAT_RAFT_PROMOTE_LAG"),
          Map.entry("dedupPerClient", "KUBECHAT_DEDUP_PER_CLIENT"),
          Map.entry("dedupClients", "KUBECHAT_DEDUP_CLIENTS"),
          Map.entry("maintenancePeriodMs", "KUBECHAT_RAFT_MAINTENANCE_MS"),
          Map.entry("clusterSize", "KUBECHAT_CLUSTER_SIZE"));

  private RaftEnv() {}

  /** Settings from {@code env} (e.g. {@code System.getenv()}); unset variables get defaults. */
  public static RaftSettings read(Map<String, String> env) {
    boolean bootstrap = bool(env, "KUBECHAT_BOOTSTRAP");
    try {
      return new RaftSettings(
          bootstrap,
          number(env, "KUBECHAT_RAFT_DISCOVERY_WINDOW_MS"),
          secondsAsMillis(env, "KUBECHAT_RAFT_HEARTBEAT_PERIOD_S"),
          secondsAsMillis(env, "KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S"),
          number(env, "KUBECHAT_RAFT_ELECTION_TIMEOUT_MS"),
          number(env, "KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S"),
          (int) number(env, "KUBECHAT_HISTORY_LIMIT"),
          (int) number(env, "KUBECHAT_RAFT_SNAPSHOT_EVERY"),
          number(env, "KUBECHAT_RAFT_SEND_TIMEOUT_MS"),
          number(env, "KUBECHAT_RAFT_FORWARD_TIMEOUT_MS"),
          number(env, "KUBECHAT_RAFT_PROMOTE_LAG"),
          (int) number(env, "KUBECHAT_DEDUP_PER_CLIENT"),
          (int) number(env, "KUBECHAT_DEDUP_CLIENTS"),
          number(env, "KUBECHAT_RAFT_MAINTENANCE_MS"),
          (int) number(env, "KUBECHAT_CLUSTER_SIZE"));
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      for (Map.Entry<String, String> f : FIELD_TO_VARIABLE.entrySet()) {
        if (message.startsWith(f.getKey() + " ")) {
          String range = message.substring(f.getKey().length() + 1);
          throw new IllegalArgumentException(
              f.getValue() + "=" + value(env, f.getValue()) + ": " + range, e);
        }
      }
      throw e;
    }
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return VARIABLES.stream()
          .filter(x -> x.name().equals(name))
          .findFirst()
          .orElseThrow()
          .defaultValue();
    }
    return v.trim();
  }

  private static long number(Map<String, String> env, String name) {
    String v = value(env, name);
    try {
      long n = Long.parseLong(v);
      if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + ": not an integer");
    }
  }

  /** Decimal seconds ("0.25", "2") to whole milliseconds. */
  private static long secondsAsMillis(Map<String, String> env, String name) {
    String v = value(env, name);
    try {
      BigDecimal ms = new BigDecimal(v).movePointRight(3);
      if (ms.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
        throw new NumberFormatException();
      }
      return ms.longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(name + "=" + v + ": not a number of seconds");
    }
  }

  private static boolean bool(Map<String, String> env, String name) {
    String v = value(env, name).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + "=" + v + ": must be true or false");
    };
  }
}
