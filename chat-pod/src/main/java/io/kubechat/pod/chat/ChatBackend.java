package io.kubechat.pod.chat;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * The cluster-wide message path behind the WebSocket layer: orders messages, keeps presence and
 * history, and hands every pod the events it must deliver to its own sockets.
 *
 * <p>The implementation is {@link io.kubechat.pod.raft.RaftChatBackend} (a Raft log over the event
 * bus). The WebSocket layer only ever talks to this interface. All futures complete on a Vert.x
 * context; none blocks.
 */
public interface ChatBackend {

  /** Completes once this pod can serve joins and sends. */
  Future<Void> start();

  /** Leaves gracefully (hands over whatever this pod owns) and releases resources. */
  Future<Void> stop();

  /**
   * Adds a client to a group; the result carries the members and what it missed since {@code
   * since}. Without a quorum the result is read from this pod's state ({@link JoinResult#local()})
   * and the join reaches the log once a quorum is back; it fails (UNAVAILABLE, retryable) only for
   * a group this pod does not know.
   */
  Future<JoinResult> join(JoinRequest request);

  /**
   * Removes a client from a group (explicit leave, idle timeout or disconnect). Without a quorum it
   * takes effect on this pod at once ({@link LeaveResult#local()}) and in the log later.
   */
  Future<LeaveResult> leave(LeaveRequest request);

  /**
   * Orders a message. Completes once the message is committed in the replicated log; fails with
   * {@link ChatException} (code {@code UNAVAILABLE}, retryable) when it cannot be ordered now. A
   * resend of the same (clientId, id) completes with the original result and is never delivered
   * twice.
   */
  Future<SendResult> send(SendRequest request);

  /** Removes every presence entry of clients connected to {@code node} (the pod died or left). */
  Future<Void> dropNode(String node);

  /** Receives, in order, every event this pod must deliver to its local sockets. */
  void eventHandler(Handler<ChatEvent> handler);

  /**
   * Called (on the pod's context) when the local state jumped forward without the events in
   * between, e.g. a lagging member installed a snapshot from the leader: local clients may have
   * missed messages and must resume (re-join with since/epoch), which replays them from the state.
   */
  void resyncHandler(Handler<Void> handler);

  /** A snapshot of the consensus state for /status, /readyz and metrics. */
  BackendStatus status();

  /**
   * Re-forms the consensus group from this pod's copy of the state, after members that made up a
   * majority are gone for good (decided by the caller: the operator, or a person in local mode).
   * Fails when this pod is no member or its group still has a quorum.
   */
  Future<RecoveryReport> recoverQuorum();
}
