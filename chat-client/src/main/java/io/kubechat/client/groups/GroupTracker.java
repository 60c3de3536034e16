package io.kubechat.client.groups;

import io.kubechat.client.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups the application wants to be in and, for each, the last {@code seq} seen in which
 * {@code epoch}. It builds the {@code join} frames of a reconnect ({@code since} + {@code epoch})
 * and decides whether a delivered message is new: the application sees each (group, epoch, seq) at
 * most once even when the server replays one. Not thread-safe: used on the client's event loop
 * only.
 */
public final class GroupTracker {
  private final Map<String, State> groups = new LinkedHashMap<>();

  private static final class State {
    String epoch;
    long lastSeq;

    /** Whether lastSeq/epoch mean something yet (set by a joined frame, a message or since). */
    boolean positioned;
  }

  /**
   * Starts tracking {@code group}. With {@code since}, the first join asks for the messages after
   * it (in whatever epoch the server has). Tracking a group again keeps its position.
   */
  public void track(String group, Long since) {
    State state = groups.computeIfAbsent(group, g -> new State());
    if (since != null && !state.positioned) {
      state.lastSeq = since;
      state.positioned = true;
    }
  }

  public void untrack(String group) {
    groups.remove(group);
  }

  public boolean isTracked(String group) {
    return groups.containsKey(group);
  }

  public List<String> groups() {
    return new ArrayList<>(groups.keySet());
  }

  /** The join frame for {@code group}: plain on the first join, with since/epoch afterwards. */
  public JoinSpec joinSpec(String group) {
    State state = groups.get(group);
    if (state == null || !state.positioned) {
      return new JoinSpec(group, null, null);
    }
    return new JoinSpec(group, state.lastSeq, state.epoch);
  }

  /**
   * The server confirmed our join; {@code epoch}/{@code seq} are the group's current position. On a
   * first join without since, reading starts after {@code seq}. When the server has a new epoch,
   * numbering restarts: everything of the new epoch is new to us.
   */
  public void onJoined(String group, String epoch, long seq) {
    State state = groups.get(group);
    if (state == null) {
      return;
    }
    if (!state.positioned) {
      state.epoch = epoch;
      state.lastSeq = seq;
      state.positioned = true;
    } else if (state.epoch == null) {
      state.epoch = epoch; // since was given without an epoch: adopt the server's
    } else if (epoch != null && !epoch.equals(state.epoch)) {
      state.epoch = epoch;
      state.lastSeq = 0;
    }
  }

  /** Whether {@code message} is new (then it becomes the group's position) or a duplicate. */
  public boolean accept(ChatMessage message) {
    State state = groups.get(message.group());
    if (state == null) {
      return false; // left the group meanwhile
    }
    if (state.epoch != null && message.epoch() != null && !state.epoch.equals(message.epoch())) {
      // A message of a new epoch without a reset first: numbering restarted.
      state.epoch = message.epoch();
      state.lastSeq = message.seq();
      state.positioned = true;
      return true;
    }
    if (state.positioned && message.seq() <= state.lastSeq) {
      return false;
    }
    if (state.epoch == null) {
      state.epoch = message.epoch();
    }
    state.lastSeq = message.seq();
    state.positioned = true;
    return true;
  }

  /** Messages up to {@code to} are gone: do not wait for them. */
  public void onGap(String group, long to) {
    State state = groups.get(group);
    if (state != null && to > state.lastSeq) {
      state.lastSeq = to;
      state.positioned = true;
    }
  }

  /** The group's history was lost: numbering restarts in {@code epoch}. */
  public void onReset(String group, String epoch) {
    State state = groups.get(group);
    if (state != null) {
      state.epoch = epoch;
      state.lastSeq = 0;
      state.positioned = true;
    }
  }

  /** Null when the group is not tracked. */
  public GroupPosition position(String group) {
    State state = groups.get(group);
    return state == null ? null : new GroupPosition(state.epoch, state.lastSeq);
  }
}
