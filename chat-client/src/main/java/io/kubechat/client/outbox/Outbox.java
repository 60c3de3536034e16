package io.kubechat.client.outbox;

import io.kubechat.client.OutboxFullException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sent-but-unacknowledged messages in send order, bounded. A message leaves the outbox when its ack
 * arrives, or when it fails for good. Not thread-safe: used on the client's event loop only.
 */
public final class Outbox {
  private final int capacity;
  private final Map<String, PendingSend> pending = new LinkedHashMap<>();

  public Outbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("outbox capacity must be >= 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * @throws OutboxFullException when {@code capacity} messages already wait for their ack
   */
  public void add(PendingSend send) {
    if (pending.containsKey(send.id())) {
      throw new IllegalArgumentException("duplicate message id in outbox: " + send.id());
    }
    if (pending.size() >= capacity) {
      throw new OutboxFullException(capacity);
    }
    pending.put(send.id(), send);
  }

  /** Removes and returns the message {@code id}, or null when it is not (any more) pending. */
  public PendingSend remove(String id) {
    return id == null ? null : pending.remove(id);
  }

  public PendingSend get(String id) {
    return id == null ? null : pending.get(id);
  }

  /** The pending messages of {@code group}, oldest first. */
  public List<PendingSend> forGroup(String group) {
    List<PendingSend> result = new ArrayList<>();
    for (PendingSend send : pending.values()) {
      if (send.group().equals(group)) {
        result.add(send);
      }
    }
    return result;
  }

  /** Every pending message, oldest first. */
  public List<PendingSend> all() {
    return new ArrayList<>(pending.values());
  }

  /** Removes and returns every pending message, oldest first. */
  public List<PendingSend> drain() {
    List<PendingSend> all = new ArrayList<>(pending.values());
    pending.clear();
    return all;
  }

  /** Removes and returns the pending messages of {@code group}, oldest first. */
  public List<PendingSend> drainGroup(String group) {
    List<PendingSend> removed = forGroup(group);
    removed.forEach(send -> pending.remove(send.id()));
    return removed;
  }

  public int size() {
    return pending.size();
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }
}
