package io.kubechat.client.groups;

import io.kubechat.client.ChatError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The joins (or the leaves) written on one connection and not answered yet. The server answers a
 * success by group ({@code joined}/{@code left} with {@code self: true}) but an error only by the
 * frame type ({@code ref} "join" or "leave"), and not in the order of the requests: a refusal such
 * as {@code TOO_MANY_GROUPS} comes at once, while the successes of earlier requests wait for the
 * log. So an error names its group only when one request waits, or once every other waiting request
 * has had its success: every request gets exactly one answer, so the requests left then are the
 * refused ones. Not thread-safe: used on the client's event loop.
 */
public final class PendingRequests {
  /** A refusal matched to the request it answers. */
  public record Refusal(String group, ChatError error) {}

  /** Per waiting group, the number of its request, to tell a request from a later one. */
  private final Map<String, Long> waiting = new LinkedHashMap<>();

  private final Deque<ChatError> unmatched = new ArrayDeque<>();
  private long sentCount;

  /** A request for {@code group} was written; returns its number for {@link #isWaiting}. */
  public long sent(String group) {
    waiting.put(group, ++sentCount);
    return sentCount;
  }

  public boolean isWaiting(String group) {
    return waiting.containsKey(group);
  }

  /** Whether request number {@code request} of {@code group} still waits for its answer. */
  public boolean isWaiting(String group, long request) {
    Long waitingRequest = waiting.get(group);
    return waitingRequest != null && waitingRequest == request;
  }

  public int size() {
    return waiting.size();
  }

  /** The success answer of {@code group}'s request; returns the refusals this tells apart. */
  public List<Refusal> answered(String group) {
    waiting.remove(group);
    return match();
  }

  /**
   * {@code group}'s request went unanswered for far longer than a server takes: an error nobody
   * claimed is most likely its own (it waited longest), else the server dropped it (over its rate
   * limit, with an error that names nothing). Returns the refusals told apart, {@code group}'s own
   * among them when an error was left; without one the caller sends the request again.
   */
  public List<Refusal> lost(String group) {
    if (waiting.remove(group) == null) {
      return List.of();
    }
    if (unmatched.isEmpty()) {
      return List.of();
    }
    List<Refusal> refusals = new ArrayList<>();
    refusals.add(new Refusal(group, unmatched.poll()));
    refusals.addAll(match());
    return refusals;
  }

  /** An error answering one of the waiting requests; returns the refusals now told apart. */
  public List<Refusal> refused(ChatError error) {
    unmatched.add(error);
    return match();
  }

  /** The connection ended: nothing waits any more. */
  public void clear() {
    waiting.clear();
    unmatched.clear();
  }

  private List<Refusal> match() {
    if (unmatched.isEmpty() || unmatched.size() < waiting.size()) {
      return List.of();
    }
    // Every request still waiting was refused. Errors beyond them answer requests presumed lost.
    List<Refusal> refusals = new ArrayList<>(waiting.size());
    for (String group : waiting.keySet()) {
      refusals.add(new Refusal(group, unmatched.poll()));
    }
    waiting.clear();
    unmatched.clear();
    return refusals;
  }
}
