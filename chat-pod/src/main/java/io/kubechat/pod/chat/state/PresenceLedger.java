package io.kubechat.pod.chat.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The presence this pod's own clients should have in the replicated state, and the log entries that
 * make the state match it.
 *
 * <p>Joins and leaves normally reach the log directly. This catches the ones that could not: a join
 * answered from the local state while no quorum was reachable, a leave or disconnect refused for
 * the same reason, a retried entry that landed after a later one, and entries the cluster dropped
 * (node-gone) while this pod was cut off but alive. It compares the wanted presence with the state
 * and proposes the difference, like a controller; it never replays what happened in between.
 *
 * <p>Confined to one thread (the backend's context).
 */
public final class PresenceLedger {

  /** A client (a user's clientId) in a group. */
  public record Key(String group, String user, String clientId) {}

  /** A log entry that brings the state closer to what this pod's clients want. */
  public record Correction(Key key, ChatCommand command) {}

  private static final class Entry {
    String user;

    /** Connections of this client on this pod that joined the group (a reconnect can overlap). */
    final Set<Long> connections = new HashSet<>();

    /** Proposals about this key not finished yet: their outcome is unknown, so no correction. */
    int inFlight;
  }

  private final String node;
  private final Map<Key, Entry> entries = new HashMap<>();

  /** Bumped on every change, so that a caller can tell whether a comparison is still current. */
  private long version;

  /** What differed at the previous comparison: only a difference seen twice is corrected. */
  private Map<Key, ChatCommand> divergedBefore = Map.of();

  public PresenceLedger(String node) {
    this.node = node;
  }

  public long version() {
    return version;
  }

  /** The keys the ledger holds (a copy). */
  public Set<Key> keys() {
    return Set.copyOf(entries.keySet());
  }

  /** {@code clientId} joined {@code group} through {@code connection} on this pod (again). */
  public void joined(Key key, String user, long connection) {
    version++;
    Entry e = entries.computeIfAbsent(key, k -> new Entry());
    e.user = user;
    e.connections.add(connection);
  }

  /** {@code clientId} left {@code group} through {@code connection} (or it closed). */
  public void left(Key key, long connection) {
    version++;
    Entry e = entries.get(key);
    if (e != null && e.connections.remove(connection)) {
      forgetIfIdle(key, e);
    }
  }

  /** A proposal about {@code key} is on its way to the log. */
  public void proposing(Key key) {
    version++;
    entries.computeIfAbsent(key, k -> new Entry()).inFlight++;
  }

  /** A proposal about {@code key} was committed or failed. */
  public void settled(Key key) {
    version++;
    Entry e = entries.get(key);
    if (e != null && e.inFlight > 0) {
      e.inFlight--;
      forgetIfIdle(key, e);
    }
  }

  /**
   * The entries that make the state match what this pod's clients want: a {@code Join} for a wanted
   * client the state does not have in the group at all, a {@code Leave} for one the state holds
   * through this pod ({@code onThisNode}) that no connection here wants. A client the state holds
   * through another pod has moved there: it is left alone. A difference is corrected only when it
   * was also seen at the previous call and nothing about it is in flight, so that entries on their
   * way to the log are not doubled. At most {@code max} corrections per call.
   *
   * @param onThisNode the state's presence entries held through this pod's node
   * @param inState the state's entry for a key, or null
   */
  public List<Correction> corrections(
      List<ClientPresence> onThisNode, Function<Key, ClientPresence> inState, int max) {
    Map<Key, String> logged = new HashMap<>();
    for (ClientPresence p : onThisNode) {
      logged.put(new Key(p.group(), p.user(), p.clientId()), p.user());
    }
    Map<Key, ChatCommand> diverged = new HashMap<>();
    entries.forEach(
        (key, e) -> {
          if (!e.connections.isEmpty() && e.inFlight == 0) {
            ClientPresence p = inState.apply(key);
            if (p == null || (p.node().equals(node) && !p.user().equals(e.user))) {
              diverged.put(
                  key, new ChatCommand.Join(key.group(), e.user, key.clientId(), node, -1, null));
            }
          }
        });
    logged.forEach(
        (key, user) -> {
          Entry e = entries.get(key);
          if (e == null || (e.connections.isEmpty() && e.inFlight == 0)) {
            diverged.put(
                key, new ChatCommand.Leave(key.group(), user, key.clientId(), node, "disconnect"));
          }
        });
    List<Correction> out = new ArrayList<>();
    for (Map.Entry<Key, ChatCommand> d : diverged.entrySet()) {
      if (out.size() < max && d.getValue().equals(divergedBefore.get(d.getKey()))) {
        out.add(new Correction(d.getKey(), d.getValue()));
      }
    }
    divergedBefore = diverged;
    return out;
  }

  /**
   * The distinct users of {@code group} as this pod sees them: the state's entries ({@code inLog}),
   * with this pod's own changes that have not reached the log yet applied on top.
   */
  public List<String> members(String group, List<ClientPresence> inLog) {
    TreeSet<String> users = new TreeSet<>();
    for (ClientPresence p : inLog) {
      Entry mine =
          p.node().equals(node) ? entries.get(new Key(group, p.user(), p.clientId())) : null;
      if (!p.node().equals(node) || (mine != null && !mine.connections.isEmpty())) {
        users.add(p.user());
      }
    }
    entries.forEach(
        (key, e) -> {
          if (key.group().equals(group) && !e.connections.isEmpty()) {
            users.add(e.user);
          }
        });
    return List.copyOf(users);
  }

  private void forgetIfIdle(Key key, Entry e) {
    if (e.connections.isEmpty() && e.inFlight == 0) {
      entries.remove(key);
    }
  }
}
