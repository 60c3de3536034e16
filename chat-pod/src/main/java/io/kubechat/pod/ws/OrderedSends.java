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
 * that the log orders a connection's messages as it sent them, across leader changes too. When one
 * fails with a retryable error, the ones queued behind it fail with it instead of overtaking it;
 * the client resends them all, in order. One proposal in flight per connection costs nothing a
 * chat client notices (the rate limit allows 50 frames/s; a commit takes about a millisecond).
 * Bounded; confined to the pod's event loop.
 */
final class OrderedSends {
  private record Queued(SendRequest request, Promise<SendResult> result) {}

  private final Function<SendRequest, Future<SendResult>> backend;
  private final int capacity;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private boolean inFlight;

  OrderedSends(Function<SendRequest, Future<SendResult>> backend, int capacity) {
    this.backend = backend;
    this.capacity = capacity;
  }

  /** Queues {@code request} behind this connection's earlier sends. */
  Future<SendResult> submit(SendRequest request) {
    if (queue.size() >= capacity) {
      return Future.failedFuture(new ChatException(ErrorCodes.UNAVAILABLE,
          capacity + " messages of this connection are already waiting to be ordered", true));
    }
    Promise<SendResult> result = Promise.promise();
    queue.add(new Queued(request, result));
    next();
    return result.future();
  }

  /** The connection is gone: what has not been handed to the backend yet is dropped. */
  void abandon() {
    List<Queued> dropped = new ArrayList<>(queue);
    queue.clear();
    dropped.forEach(q -> q.result().tryFail(
        new ChatException(ErrorCodes.UNAVAILABLE, "the connection closed", true)));
  }

  private void next() {
    if (inFlight || queue.isEmpty()) {
      return;
    }
    inFlight = true;
    Queued head = queue.poll();
    backend.apply(head.request()).onComplete(ar -> {
      inFlight = false;
      if (ar.failed() && ar.cause() instanceof ChatException e && e.retryable()) {
        List<Queued> behind = new ArrayList<>(queue);
        queue.clear();
        head.result().fail(e);
        behind.forEach(q -> q.result().fail(new ChatException(e.code(),
            "not sent: an earlier message of this connection failed (" + e.getMessage()
                + "); resend in order", true)));
      } else {
        head.result().handle(ar);
      }
      next();
    });
  }
}
