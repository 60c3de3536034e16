package io.kubechat.pod.ws;

import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The sends of one connection, handed to the backend one at a time in the order they arrived, so
 * that the log orders a connection's messages as it sent them, across leader changes too.
 *
 * <p>When one fails with a retryable error, nothing may overtake it: the ones queued behind it fail
 * with it, and so does every other message the connection sends until the refused one comes again
 * (the client resends refused messages oldest first), or for at most {@code holdMs}, after which
 * the client is taken to have given it up. One proposal in flight per connection costs nothing a
 * chat client notices (the rate limit allows 50 frames/s; a commit takes about a millisecond).
 * Bounded; confined to the pod's event loop.
 */
final class OrderedSends {
  private record Queued(SendRequest request, Promise<SendResult> result) {}

  private final Function<SendRequest, Future<SendResult>> backend;
  private final int capacity;
  private final long holdNanos;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private boolean inFlight;

  /** The refused message the connection must send again before any other, or null. */
  private String awaited;

  private ChatException awaitedFailure;
  private long awaitedUntilNanos;

  /**
   * @param capacity sends waiting at most
   * @param holdMs how long a refused message holds back the connection's later ones, at most
   */
  OrderedSends(Function<SendRequest, Future<SendResult>> backend, int capacity, long holdMs) {
    this.backend = backend;
    this.capacity = capacity;
    this.holdNanos = holdMs * 1_000_000;
  }

  /** Queues {@code request} behind this connection's earlier sends. */
  Future<SendResult> submit(SendRequest request) {
    if (awaited != null) {
      if (awaited.equals(request.id()) || System.nanoTime() - awaitedUntilNanos > 0) {
        awaited = null;
      } else {
        return Future.failedFuture(behind(awaitedFailure));
      }
    }
    if (queue.size() >= capacity) {
      ChatException full =
          new ChatException(
              ErrorCodes.UNAVAILABLE,
              capacity + " messages of this connection are already waiting to be ordered",
              true);
      refuse(request.id(), full);
      return Future.failedFuture(full);
    }
    Promise<SendResult> result = Promise.promise();
    queue.add(new Queued(request, result));
    next();
    return result.future();
  }

  /**
   * Message {@code id} was refused before it could be queued (e.g. rate limited): like a refusal by
   * the backend, the connection's later messages wait until it comes again.
   */
  void refuse(String id, ChatException why) {
    if (awaited == null) {
      awaited = id;
      awaitedFailure = why;
      awaitedUntilNanos = System.nanoTime() + holdNanos;
    }
  }

  /** The connection is gone: what has not been handed to the backend yet is dropped. */
  void abandon() {
    List<Queued> dropped = new ArrayList<>(queue);
    queue.clear();
    dropped.forEach(
        q ->
            q.result()
                .tryFail(new ChatException(ErrorCodes.UNAVAILABLE, "the connection closed", true)));
  }

  private ChatException behind(ChatException refused) {
    return new ChatException(
        refused.code(),
        "not sent: message "
            + awaited
            + " of this connection"
            + " was refused ("
            + refused.getMessage()
            + "); resend it first, then the others in order",
        true);
  }

  private void next() {
    if (inFlight || queue.isEmpty()) {
      return;
    }
    inFlight = true;
    Queued head = queue.poll();
    backend
        .apply(head.request())
        .onComplete(
            ar -> {
              inFlight = false;
              if (ar.failed() && ar.cause() instanceof ChatException e && e.retryable()) {
                List<Queued> behind = new ArrayList<>(queue);
                queue.clear();
                awaited = head.request().id();
                awaitedFailure = e;
                awaitedUntilNanos = System.nanoTime() + holdNanos;
                head.result().fail(e);
                behind.forEach(q -> q.result().fail(behind(e)));
              } else {
                head.result().handle(ar);
              }
              next();
            });
  }
}
