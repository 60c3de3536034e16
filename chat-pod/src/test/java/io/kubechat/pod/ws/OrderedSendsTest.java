package io.kubechat.pod.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedSendsTest {

  /** A backend whose proposals the test completes by hand. */
  private final List<SendRequest> proposed = new ArrayList<>();

  private final List<Promise<SendResult>> open = new ArrayList<>();
  private final OrderedSends sends =
      new OrderedSends(
          r -> {
            proposed.add(r);
            Promise<SendResult> p = Promise.promise();
            open.add(p);
            return p.future();
          },
          3,
          200);

  private static SendRequest req(String id) {
    return new SendRequest("g", "ann", "c1", id, "text", "pod-a");
  }

  private static SendResult ok(String id, long seq) {
    return new SendResult("g", id, seq, "e1", 0);
  }

  @Test
  void oneProposalAtATimeInArrivalOrder() {
    Future<SendResult> a = sends.submit(req("a"));
    Future<SendResult> b = sends.submit(req("b"));
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a");
    open.get(0).complete(ok("a", 1));
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a", "b");
    open.get(1).complete(ok("b", 2));
    assertThat(a.result().seq()).isEqualTo(1);
    assertThat(b.result().seq()).isEqualTo(2);
  }

  @Test
  void aRetryableFailureFailsWhatWaitsBehindItButNotWhatComesLater() {
    Future<SendResult> a = sends.submit(req("a"));
    Future<SendResult> b = sends.submit(req("b"));
    Future<SendResult> c = sends.submit(req("c"));
    open.get(0).fail(new ChatException("UNAVAILABLE", "no leader", true));
    assertThat(a.cause()).hasMessage("no leader");
    for (Future<SendResult> behind : List.of(b, c)) {
      ChatException e = (ChatException) behind.cause();
      assertThat(e.code()).isEqualTo("UNAVAILABLE");
      assertThat(e.retryable()).isTrue();
    }
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a");
    // a message sent before the client learned of the refusal must not overtake it either
    Future<SendResult> late = sends.submit(req("d"));
    assertThat(((ChatException) late.cause()).getMessage()).contains("resend it first");
    // the client's resend, in order
    Future<SendResult> again = sends.submit(req("a"));
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a", "a");
    open.get(1).complete(ok("a", 1));
    assertThat(again.succeeded()).isTrue();
  }

  @Test
  void aRefusedMessageThatIsNeverResentHoldsTheOthersBackForALimitedTime() {
    sends.submit(req("a"));
    open.get(0).fail(new ChatException("UNAVAILABLE", "no leader", true));
    assertThat(sends.submit(req("b")).failed()).isTrue();
    // the client gave "a" up; after the hold the connection sends again
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sends.submit(req("b")).succeeded() || proposed.size() == 2);
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a", "b");
  }

  @Test
  void aFinalFailureDoesNotHoldTheOthersBack() {
    sends.submit(req("a"));
    Future<SendResult> b = sends.submit(req("b"));
    open.get(0).fail(new ChatException("INVALID", "refused", false));
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a", "b");
    open.get(1).complete(ok("b", 1));
    assertThat(b.succeeded()).isTrue();
  }

  @Test
  void boundedAndAbandonedWithTheConnection() {
    sends.submit(req("a")); // in flight
    List<Future<SendResult>> queued =
        List.of(sends.submit(req("b")), sends.submit(req("c")), sends.submit(req("d")));
    Future<SendResult> tooMany = sends.submit(req("e"));
    assertThat(((ChatException) tooMany.cause()).retryable()).isTrue();
    assertThat(sends.submit(req("f")).failed()).as("nothing overtakes the refused e").isTrue();
    sends.abandon();
    assertThat(queued).allMatch(Future::failed);
    open.get(0).complete(ok("a", 1));
    assertThat(proposed).extracting(SendRequest::id).containsExactly("a");
  }
}
