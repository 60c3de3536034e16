package io.kubechat.pod.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This pod's view of its peers, driven only by heartbeats, acks and goodbyes: ALIVE while heard
 * within {@code timeoutMs}, SUSPECT after, DEAD after {@code 3 x timeoutMs}, LEFT after a goodbye.
 * A heartbeat with a new incarnation replaces the row (the pod was recreated); one with the same
 * incarnation from a new inbox is the same member restarted in place. Pure logic with the time
 * passed in, so it is tested without clocks; callers confine it to one thread (the pod's context).
 */
public final class MembershipTable {

  /** What a call changed, for logging, metrics and dropping the presence of gone pods. */
  public record Transition(
      String node, String incarnation, MemberState from, MemberState to, boolean restarted) {}

  private static final class Row {
    String incarnation;
    String inbox;
    long lastSeen;
    long lastAck = Long.MIN_VALUE;
    long missedCounted;
    MemberState state = MemberState.ALIVE;
  }

  private final long intervalMs;
  private final long timeoutMs;
  private final Map<String, Row> rows = new LinkedHashMap<>();

  public MembershipTable(long intervalMs, long timeoutMs) {
    this.intervalMs = intervalMs;
    this.timeoutMs = timeoutMs;
  }

  /** A heartbeat from {@code node}; returns the transition it caused, or null. */
  public Transition onHeartbeat(String node, String incarnation, String inbox, long now) {
    Row row = rows.get(node);
    if (row == null) {
      row = new Row();
      row.incarnation = incarnation;
      row.inbox = inbox;
      row.lastSeen = now;
      rows.put(node, row);
      return new Transition(node, incarnation, null, MemberState.ALIVE, false);
    }
    if (!row.incarnation.equals(incarnation)) {
      MemberState from = row.state;
      row.incarnation = incarnation;
      row.inbox = inbox;
      row.lastSeen = now;
      row.lastAck = Long.MIN_VALUE;
      row.missedCounted = 0;
      row.state = MemberState.ALIVE;
      return new Transition(node, incarnation, from, MemberState.ALIVE, true);
    }
    if (row.state == MemberState.LEFT && (inbox == null || inbox.equals(row.inbox))) {
      return null; // a late heartbeat of a pod that said goodbye does not revive it
    }
    // the same member in a new process (restarted in place with its data directory) has a new
    // inbox: acks go there, and after a goodbye it is alive again
    if (inbox != null) {
      row.inbox = inbox;
    }
    row.lastSeen = now;
    row.missedCounted = 0;
    if (row.state != MemberState.ALIVE) {
      MemberState from = row.state;
      row.state = MemberState.ALIVE;
      return new Transition(node, incarnation, from, MemberState.ALIVE, false);
    }
    return null;
  }

  /** {@code node} acknowledged one of our heartbeats: it hears us. */
  public void onAck(String node, String incarnation, long now) {
    Row row = rows.get(node);
    if (row != null && row.incarnation.equals(incarnation)) {
      row.lastAck = now;
    }
  }

  /** {@code node} said goodbye; returns the transition, or null if unknown or already LEFT. */
  public Transition onLeft(String node, String incarnation, long now) {
    Row row = rows.get(node);
    if (row == null || !row.incarnation.equals(incarnation) || row.state == MemberState.LEFT) {
      return null;
    }
    MemberState from = row.state;
    row.state = MemberState.LEFT;
    row.lastSeen = now;
    return new Transition(node, incarnation, from, MemberState.LEFT, false);
  }

  /** Ages every row; returns the state changes in node order. */
  public List<Transition> evaluate(long now) {
    List<Transition> out = new ArrayList<>();
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row row = e.getValue();
      if (row.state == MemberState.LEFT || row.state == MemberState.DEAD) {
        continue;
      }
      long silent = now - row.lastSeen;
      MemberState next =
          silent >= 3 * timeoutMs
              ? MemberState.DEAD
              : silent >= timeoutMs ? MemberState.SUSPECT : MemberState.ALIVE;
      if (next != row.state) {
        out.add(new Transition(e.getKey(), row.incarnation, row.state, next, false));
        row.state = next;
      }
    }
    return out;
  }

  /**
   * Heartbeats missed since the last call (a heartbeat is missed when more than 1.5 intervals pass
   * without one); counted for peers not yet DEAD or LEFT.
   */
  public long takeMissedHeartbeats(long now) {
    long total = 0;
    for (Row row : rows.values()) {
      if (row.state == MemberState.LEFT || row.state == MemberState.DEAD) {
        continue;
      }
      long missed = Math.max(0, (now - row.lastSeen - intervalMs / 2) / intervalMs);
      if (missed > row.missedCounted) {
        total += missed - row.missedCounted;
        row.missedCounted = missed;
      }
    }
    return total;
  }

  /** The table as /status shows it, sorted by node. */
  public List<MemberInfo> snapshot(long now) {
    List<MemberInfo> out = new ArrayList<>();
    rows.forEach(
        (node, row) ->
            out.add(
                new MemberInfo(
                    node,
                    row.incarnation,
                    row.state,
                    Math.max(0, now - row.lastSeen),
                    row.lastAck != Long.MIN_VALUE && now - row.lastAck < timeoutMs)));
    out.sort(Comparator.comparing(MemberInfo::node));
    return out;
  }

  /** The inbox address of a peer's current incarnation, or null. */
  public String inboxOf(String node) {
    Row row = rows.get(node);
    return row == null ? null : row.inbox;
  }

  public MemberState stateOf(String node) {
    Row row = rows.get(node);
    return row == null ? null : row.state;
  }
}
