package io.kubechat.pod.chat.state;

import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.SendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated chat state: groups with their sequence numbers, epochs, bounded histories and
 * presence, plus the deduplication table. Deterministic: the same commands applied at the same log
 * indexes give the same state and the same results on every replica (no clock, no randomness; the
 * only per-cluster input is {@code clusterId}, shared by all replicas of one Raft group).
 *
 * <p>Dedup bound: for each client the last {@code dedupPerClient} message ids are remembered, for
 * at most {@code dedupClients} clients (least recently sending client evicted first). A resend
 * older than that is treated as a new message.
 *
 * <p>Not thread-safe: confined to the Raft node's thread, which applies the log, takes and installs
 * snapshots and runs the pod's local reads (MicroRaft's contract for a state machine).
 */
public final class ChatState {

  private final String clusterId;
  private final int historyLimit;
  private final int dedupPerClient;
  private final int dedupClients;
  private final TreeMap<String, Group> groups = new TreeMap<>();

  /**
   * (user, clientId) -> (message id -> result), both in insertion order (LRU by last send). Keyed
   * by the user too, so that another user naming the same clientId can neither suppress nor replay
   * a client's messages (docs/security.md).
   */
  private final LinkedHashMap<String, LinkedHashMap<String, SendResult>> dedup =
      new LinkedHashMap<>();

  private long lastApplied;

  public ChatState(String clusterId, int historyLimit, int dedupPerClient, int dedupClients) {
    if (historyLimit < 1 || dedupPerClient < 1 || dedupClients < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.clusterId = clusterId;
    this.historyLimit = historyLimit;
    this.dedupPerClient = dedupPerClient;
    this.dedupClients = dedupClients;
  }

  /** Applies {@code command}, the log entry at {@code index}. */
  public Applied apply(long index, ChatCommand command) {
    lastApplied = index;
    if (command instanceof ChatCommand.Send s) {
      return send(index, s);
    } else if (command instanceof ChatCommand.Join j) {
      return join(index, j);
    } else if (command instanceof ChatCommand.Leave l) {
      return leave(l);
    } else if (command instanceof ChatCommand.DropNode d) {
      return dropNode(d);
    } else if (command instanceof ChatCommand.Seed s) {
      return seed(index, s);
    }
    return new Applied(null, List.of());
  }

  /**
   * Re-creates a part of a former group's state (see {@link ChatCommand.Seed}). A group that
   * already exists here is left as it is: seeds come first in a recovered group, and only once.
   */
  private Applied seed(long index, ChatCommand.Seed s) {
    if (s.part() == 0) {
      readDedup(s.chunk());
      return new Applied(null, List.of());
    }
    Group former = readGroup(s.chunk());
    if (groups.containsKey(former.name)) {
      return new Applied(null, List.of());
    }
    Group g = new Group(former.name, clusterId + "-" + index);
    g.seq = former.seq;
    for (ChatMessage m : former.history) {
      g.history.addLast(
          new ChatMessage(
              g.name,
              m.seq(),
              g.epoch,
              m.from(),
              m.clientId(),
              m.id(),
              m.text(),
              m.ts(),
              m.node()));
    }
    groups.put(g.name, g);
    // a resend of a message of the former group is answered in the group's new epoch
    for (LinkedHashMap<String, SendResult> seen : dedup.values()) {
      seen.replaceAll(
          (id, r) ->
              r.group().equals(g.name) && r.epoch().equals(former.epoch)
                  ? new SendResult(r.group(), r.id(), r.seq(), g.epoch, r.ts())
                  : r);
    }
    return new Applied(null, List.of());
  }

  public long lastApplied() {
    return lastApplied;
  }

  /** The last {@code max} messages of {@code group} after {@code since}, from the local state. */
  public List<ChatMessage> history(String group, long since, int max) {
    Group g = groups.get(group);
    if (g == null) {
      return List.of();
    }
    List<ChatMessage> out = new ArrayList<>();
    for (ChatMessage m : g.history) {
      if (m.seq() > since) {
        out.add(m);
      }
    }
    return out.size() <= max ? out : List.copyOf(out.subList(out.size() - max, out.size()));
  }

  /**
   * What a join with {@code since}/{@code epoch} would replay, from the local state and without
   * joining (for reads while no quorum is reachable). Null when the group does not exist here.
   */
  public JoinResult view(String group, long since, String epoch) {
    Group g = groups.get(group);
    return g == null ? null : replay(g, since, epoch);
  }

  /** Distinct users of {@code group}, sorted. */
  public List<String> members(String group) {
    Group g = groups.get(group);
    return g == null ? List.of() : g.users();
  }

  /** The presence entries of {@code group}, in join order. */
  public List<ClientPresence> presence(String group) {
    Group g = groups.get(group);
    if (g == null) {
      return List.of();
    }
    List<ClientPresence> out = new ArrayList<>();
    g.presence.forEach((k, p) -> out.add(new ClientPresence(g.name, p.clientId, p.user, p.node)));
    return out;
  }

  /** The presence entry of {@code user}'s {@code clientId} in {@code group}, or null. */
  public ClientPresence presenceOf(String group, String user, String clientId) {
    Group g = groups.get(group);
    Presence p = g == null ? null : g.presence.get(key(user, clientId));
    return p == null ? null : new ClientPresence(group, clientId, p.user, p.node);
  }

  /** Every presence entry held through {@code node}, in all groups. */
  public List<ClientPresence> presenceOn(String node) {
    List<ClientPresence> out = new ArrayList<>();
    for (Group g : groups.values()) {
      g.presence.forEach(
          (k, p) -> {
            if (p.node.equals(node)) {
              out.add(new ClientPresence(g.name, p.clientId, p.user, p.node));
            }
          });
    }
    return out;
  }

  public int groupCount() {
    return groups.size();
  }

  /** The group's epoch, or null when it does not exist. */
  public String epoch(String group) {
    Group g = groups.get(group);
    return g == null ? null : g.epoch;
  }

  public long seq(String group) {
    Group g = groups.get(group);
    return g == null ? 0 : g.seq;
  }

  private Group group(long index, String name) {
    return groups.computeIfAbsent(name, n -> new Group(n, clusterId + "-" + index));
  }

  private Applied join(long index, ChatCommand.Join j) {
    Group g = group(index, j.group());
    String key = key(j.user(), j.clientId());
    Presence before = g.presence.get(key);
    List<ChatEvent> events = new ArrayList<>();
    Presence now = new Presence(j.user(), j.clientId(), j.node());
    if (!now.equals(before)) {
      g.presence.put(key, now);
      events.add(new ChatEvent.Presence(g.name, j.user(), j.clientId(), true, "join", g.users()));
    }
    return new Applied(replay(g, j.since(), j.epoch()), events);
  }

  /** What a client that saw up to {@code since} in {@code epoch} missed (docs/protocol.md). */
  private JoinResult replay(Group g, long since, String epoch) {
    boolean reset = epoch != null && !epoch.equals(g.epoch);
    long from;
    if (reset) {
      from = 1;
    } else if (since < 0) {
      return new JoinResult(g.name, g.epoch, g.seq, g.users(), List.of(), -1, -1, false, false);
    } else {
      from = since + 1;
    }
    if (from > g.seq) {
      return new JoinResult(g.name, g.epoch, g.seq, g.users(), List.of(), -1, -1, reset, false);
    }
    long oldest = g.history.isEmpty() ? g.seq + 1 : g.history.peekFirst().seq();
    long gapFrom = -1;
    long gapTo = -1;
    if (from < oldest) {
      gapFrom = from;
      gapTo = oldest - 1;
    }
    List<ChatMessage> replay = new ArrayList<>();
    for (ChatMessage m : g.history) {
      if (m.seq() >= from) {
        replay.add(m);
      }
    }
    return new JoinResult(g.name, g.epoch, g.seq, g.users(), replay, gapFrom, gapTo, reset, false);
  }

  private Applied leave(ChatCommand.Leave l) {
    Group g = groups.get(l.group());
    if (g == null) {
      return new Applied(new LeaveResult(l.group(), List.of(), false), List.of());
    }
    String key = key(l.user(), l.clientId());
    Presence p = g.presence.get(key);
    // a client that reconnected elsewhere is not removed by its old pod's late disconnect
    if (p == null || !p.node.equals(l.node())) {
      return new Applied(new LeaveResult(g.name, g.users(), false), List.of());
    }
    g.presence.remove(key);
    return new Applied(
        new LeaveResult(g.name, g.users(), false),
        List.of(
            new ChatEvent.Presence(g.name, p.user, l.clientId(), false, l.reason(), g.users())));
  }

  private Applied send(long index, ChatCommand.Send s) {
    String client = key(s.user(), s.clientId());
    LinkedHashMap<String, SendResult> seen = dedup.remove(client);
    if (seen == null) {
      seen = new LinkedHashMap<>();
    }
    dedup.put(client, seen); // most recent sender last
    SendResult earlier = seen.get(s.id());
    if (earlier != null) {
      return new Applied(earlier, List.of());
    }
    Group g = group(index, s.group());
    g.seq++;
    ChatMessage m =
        new ChatMessage(
            g.name, g.seq, g.epoch, s.user(), s.clientId(), s.id(), s.text(), s.ts(), s.node());
    g.history.addLast(m);
    while (g.history.size() > historyLimit) {
      g.history.removeFirst();
    }
    SendResult result = new SendResult(g.name, s.id(), g.seq, g.epoch, s.ts());
    seen.put(s.id(), result);
    trim(seen, dedupPerClient);
    trim(dedup, dedupClients);
    return new Applied(result, List.of(new ChatEvent.Message(m)));
  }

  private static void trim(LinkedHashMap<String, ?> map, int max) {
    Iterator<String> it = map.keySet().iterator();
    while (map.size() > max && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  private Applied dropNode(ChatCommand.DropNode d) {
    List<ChatEvent> events = new ArrayList<>();
    for (Group g : groups.values()) {
      List<String> gone = new ArrayList<>();
      g.presence.forEach(
          (k, p) -> {
            if (p.node.equals(d.node())) {
              gone.add(k);
            }
          });
      // one by one, so that each event carries the member list right after that departure
      for (String k : gone) {
        Presence p = g.presence.remove(k);
        events.add(
            new ChatEvent.Presence(g.name, p.user, p.clientId, false, "node-gone", g.users()));
      }
    }
    return new Applied(null, events);
  }

  // ---- snapshots: one chunk with the dedup table, then one chunk per group ----

  /** The state as chunks, to be passed back in the same order to {@link #restore}. */
  public List<byte[]> snapshot() {
    List<byte[]> chunks = new ArrayList<>();
    chunks.add(
        SnapshotIo.write(
            out -> {
              out.writeLong(lastApplied);
              out.writeInt(dedup.size());
              for (Map.Entry<String, LinkedHashMap<String, SendResult>> c : dedup.entrySet()) {
                SnapshotIo.writeString(out, c.getKey());
                out.writeInt(c.getValue().size());
                for (SendResult r : c.getValue().values()) {
                  SnapshotIo.writeString(out, r.group());
                  SnapshotIo.writeString(out, r.id());
                  out.writeLong(r.seq());
                  SnapshotIo.writeString(out, r.epoch());
                  out.writeLong(r.ts());
                }
              }
            }));
    for (Group g : groups.values()) {
      chunks.add(
          SnapshotIo.write(
              out -> {
                SnapshotIo.writeString(out, g.name);
                SnapshotIo.writeString(out, g.epoch);
                out.writeLong(g.seq);
                out.writeInt(g.presence.size());
                for (Presence p : g.presence.values()) {
                  SnapshotIo.writeString(out, p.clientId);
                  SnapshotIo.writeString(out, p.user);
                  SnapshotIo.writeString(out, p.node);
                }
                out.writeInt(g.history.size());
                for (ChatMessage m : g.history) {
                  out.writeLong(m.seq());
                  SnapshotIo.writeString(out, m.from());
                  SnapshotIo.writeString(out, m.clientId());
                  SnapshotIo.writeString(out, m.id());
                  SnapshotIo.writeString(out, m.text());
                  out.writeLong(m.ts());
                  SnapshotIo.writeString(out, m.node());
                }
              }));
    }
    return chunks;
  }

  /** Replaces the whole state with a snapshot taken by {@link #snapshot()}. */
  public void restore(List<byte[]> chunks) {
    groups.clear();
    dedup.clear();
    if (chunks.isEmpty()) {
      lastApplied = 0;
      return;
    }
    SnapshotIo.read(chunks.get(0), in -> lastApplied = in.readLong());
    readDedup(chunks.get(0));
    for (byte[] chunk : chunks.subList(1, chunks.size())) {
      Group g = readGroup(chunk);
      groups.put(g.name, g);
    }
  }

  /** Adds the dedup table of a snapshot's first chunk (after its lastApplied). */
  private void readDedup(byte[] chunk) {
    SnapshotIo.read(
        chunk,
        in -> {
          in.readLong(); // lastApplied
          int clients = in.readInt();
          for (int i = 0; i < clients; i++) {
            String clientId = SnapshotIo.readString(in);
            int n = in.readInt();
            LinkedHashMap<String, SendResult> seen = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
              SendResult r =
                  new SendResult(
                      SnapshotIo.readString(in),
                      SnapshotIo.readString(in),
                      in.readLong(),
                      SnapshotIo.readString(in),
                      in.readLong());
              seen.put(r.id(), r);
            }
            dedup.put(clientId, seen);
          }
        });
  }

  /** One group of a snapshot. */
  private static Group readGroup(byte[] chunk) {
    Group[] out = new Group[1];
    SnapshotIo.read(
        chunk,
        in -> {
          Group g = new Group(SnapshotIo.readString(in), SnapshotIo.readString(in));
          g.seq = in.readLong();
          int members = in.readInt();
          for (int i = 0; i < members; i++) {
            String clientId = SnapshotIo.readString(in);
            Presence p =
                new Presence(SnapshotIo.readString(in), clientId, SnapshotIo.readString(in));
            g.presence.put(key(p.user, clientId), p);
          }
          int messages = in.readInt();
          for (int i = 0; i < messages; i++) {
            long seq = in.readLong();
            String from = SnapshotIo.readString(in);
            String clientId = SnapshotIo.readString(in);
            String id = SnapshotIo.readString(in);
            String text = SnapshotIo.readString(in);
            long ts = in.readLong();
            String node = SnapshotIo.readString(in);
            g.history.addLast(
                new ChatMessage(g.name, seq, g.epoch, from, clientId, id, text, ts, node));
          }
          out[0] = g;
        });
    return out[0];
  }

  private record Presence(String user, String clientId, String node) {}

  /**
   * A client is its user and clientId together ("/" is in neither name), so a clientId names no one
   * else's client.
   */
  private static String key(String user, String clientId) {
    return user + "/" + clientId;
  }

  private static final class Group {
    final String name;
    final String epoch;
    long seq;
    final ArrayDeque<ChatMessage> history = new ArrayDeque<>();

    /** key(user, clientId) -> presence, in join order. */
    final LinkedHashMap<String, Presence> presence = new LinkedHashMap<>();

    Group(String name, String epoch) {
      this.name = name;
      this.epoch = epoch;
    }

    List<String> users() {
      TreeSet<String> users = new TreeSet<>();
      for (Presence p : presence.values()) {
        users.add(p.user);
      }
      return List.copyOf(users);
    }
  }
}
