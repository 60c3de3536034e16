package io.kubechat.pod.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what clients of one group received against what the cluster acknowledged: every
 * acknowledged message is present exactly once, at the same {@code seq}, in the same order, at
 * every client, with no gaps, and every ack's {@code seq} is the delivered message's. Pure: feed it
 * histories, get the violations (empty = consistent).
 */
public final class HistoryChecker {
  private static final int MAX_PER_CLIENT = 5;

  private HistoryChecker() {}

  /** One {@code message} frame as a client received it. */
  public record Delivered(long seq, String epoch, String clientId, String id) {
    String key() {
      return clientId + "/" + id;
    }
  }

  /**
   * Everything one client received in the group, in arrival order, across its reconnects; {@code
   * joinedAtSeq} is the group's seq in the answer to its first join (it expects every message after
   * it).
   */
  public record ClientHistory(String client, long joinedAtSeq, List<Delivered> delivered) {
    public ClientHistory {
      delivered = List.copyOf(delivered);
    }
  }

  /** One {@code ack} frame a sender received. */
  public record Ack(String clientId, String id, long seq, String epoch) {
    String key() {
      return clientId + "/" + id;
    }
  }

  public static List<String> check(List<ClientHistory> histories, List<Ack> acks) {
    List<String> violations = new ArrayList<>();
    Map<Long, String> bySeq = new HashMap<>();
    Map<String, Long> seqOf = new HashMap<>();
    String epoch = null;
    for (ClientHistory h : histories) {
      int reported = 0;
      long expected = h.joinedAtSeq() + 1;
      for (Delivered d : h.delivered()) {
        if (epoch == null) {
          epoch = d.epoch();
        }
        if (!d.epoch().equals(epoch) && reported++ < MAX_PER_CLIENT) {
          violations.add(
              h.client() + ": " + d + " is in epoch " + d.epoch() + ", expected " + epoch);
        }
        if (d.seq() != expected && reported++ < MAX_PER_CLIENT) {
          violations.add(
              h.client()
                  + ": expected seq "
                  + expected
                  + " but got "
                  + d
                  + (d.seq() < expected ? " (duplicate or out of order)" : " (gap)"));
        }
        expected = Math.max(expected, d.seq() + 1);
        String other = bySeq.putIfAbsent(d.seq(), d.key());
        if (other != null && !other.equals(d.key())) {
          violations.add(
              h.client()
                  + ": seq "
                  + d.seq()
                  + " is "
                  + d.key()
                  + " here but "
                  + other
                  + " at another client");
        }
        Long at = seqOf.putIfAbsent(d.key(), d.seq());
        if (at != null && at != d.seq()) {
          violations.add(
              h.client() + ": " + d.key() + " delivered at seq " + d.seq() + " and at seq " + at);
        }
      }
    }
    for (Ack a : acks) {
      if (epoch != null && !epoch.equals(a.epoch())) {
        violations.add("ack " + a + " is in epoch " + a.epoch() + ", expected " + epoch);
      }
      String delivered = bySeq.get(a.seq());
      if (!a.key().equals(delivered)) {
        violations.add("ack " + a + " but seq " + a.seq() + " was delivered as " + delivered);
      }
      for (ClientHistory h : histories) {
        if (a.seq() <= h.joinedAtSeq()) {
          continue; // before this client joined
        }
        long copies =
            h.delivered().stream()
                .filter(d -> d.key().equals(a.key()) && d.seq() == a.seq())
                .count();
        if (copies != 1) {
          violations.add(
              h.client()
                  + ": acknowledged "
                  + a.key()
                  + " (seq "
                  + a.seq()
                  + ") received "
                  + copies
                  + " times");
        }
      }
    }
    return violations;
  }
}
