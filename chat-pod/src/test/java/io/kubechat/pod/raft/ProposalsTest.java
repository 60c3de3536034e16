package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.state.ChatCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Proposals} against a scripted consensus member, on one Vert.x context as in a pod. */
class ProposalsTest {
  private static final ChatCommand CMD = new ChatCommand.Leave("g", "ann", "c1", "n1", "leave");

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private volatile BackendStatus status = status("n2", true);

  /** Where each attempt went: "replicate" or "forward:<leader>". */
  private final List<String> attempts = new CopyOnWriteArrayList<>();

  private final List<Promise<JsonObject>> forwards = new CopyOnWriteArrayList<>();
  private final Proposals proposals =
      new Proposals(
          vertx,
          "n1",
          RaftSettings.defaults().withSendTimeoutMs(3000),
          new RaftMetrics(null, "n1", () -> status),
          new Proposals.Consensus() {
            @Override
            public BackendStatus status() {
              return status;
            }

            @Override
            public String refusal() {
              return null;
            }

            @Override
            public Future<?> refresh() {
              return Future.succeededFuture();
            }

            @Override
            public Future<Long> replicate(Proposal proposal) {
              attempts.add("replicate");
              return Promise.<Long>promise().future(); // commits later, seen through applied()
            }

            @Override
            public Future<JsonObject> forward(String leader, JsonObject proposal) {
              attempts.add("forward:" + leader);
              Promise<JsonObject> answer = Promise.promise();
              forwards.add(answer);
              return answer.future();
            }
          });

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static BackendStatus status(String leader, boolean available) {
    return new BackendStatus(
        "FOLLOWER",
        3,
        leader,
        10,
        "kc-test",
        3,
        10,
        available,
        available ? null : "the leader has been silent",
        List.of());
  }

  private <T> T onContext(Supplier<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> result.complete(action.get()));
    return result.join();
  }

  private static Throwable failure(Future<?> f) {
    await().atMost(Duration.ofSeconds(10)).until(f::isComplete);
    assertThat(f.failed()).as("failed").isTrue();
    return f.cause();
  }

  @Test
  void aForwardedProposalCompletesWhenThisPodAppliesIt() {
    Future<Object> result = onContext(() -> proposals.propose("n1/i1", CMD));
    await().until(() -> forwards.size() == 1);
    onContext(() -> forwards.get(0).tryComplete(new JsonObject().put("ok", true).put("index", 7)));
    assertThat(result.isComplete()).as("committed, not yet applied here").isFalse();
    onContext(
        () -> {
          proposals.applied(new Proposal("n1/i1", 1, CMD), "the result");
          return null;
        });
    await().until(result::isComplete);
    assertThat(result.result()).isEqualTo("the result");
  }

  @Test
  void aLeaderThatIsGoneIsRetriedAtTheNewOne() {
    Future<Object> result = onContext(() -> proposals.propose("n1/i1", CMD));
    await().until(() -> forwards.size() == 1);
    status = status("n1", true); // we were elected meanwhile
    onContext(
        () -> forwards.get(0).tryFail(new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers")));
    await().until(() -> attempts.equals(List.of("forward:n2", "replicate")));
    assertThat(result.isComplete()).isFalse();
  }

  @Test
  void aNewLeaderGetsTheProposalsWaitingOnTheFormerOne() {
    onContext(() -> proposals.propose("n1/i1", CMD));
    await().until(() -> forwards.size() == 1);
    status = status("n3", true);
    onContext(
        () -> {
          proposals.statusChanged(status);
          return null;
        });
    await().until(() -> attempts.equals(List.of("forward:n2", "forward:n3")));
  }

  @Test
  void withoutAnAvailableLeaderItFailsFastAndRetryable() {
    status = status("n2", false);
    Throwable e = failure(onContext(() -> proposals.propose("n1/i1", CMD)));
    assertThat(e).isInstanceOf(ChatException.class).hasMessageContaining("silent");
    assertThat(((ChatException) e).retryable()).isTrue();
    assertThat(attempts).isEmpty();
  }

  @Test
  void aLeaderThatDoesNotAnswerFailsIt() {
    Future<Object> result = onContext(() -> proposals.propose("n1/i1", CMD));
    await().until(() -> forwards.size() == 1);
    onContext(() -> forwards.get(0).tryFail(new ReplyException(ReplyFailure.TIMEOUT, "timed out")));
    assertThat(failure(result)).hasMessageContaining("leader n2 did not answer");
  }

  @Test
  void failAllAndTheSendTimeoutEndEveryProposal() {
    Future<Object> stopped = onContext(() -> proposals.propose("n1/i1", CMD));
    onContext(
        () -> {
          proposals.failAll("the pod is stopping");
          return null;
        });
    assertThat(failure(stopped)).hasMessage("the pod is stopping");
    Future<Object> neverApplied = onContext(() -> proposals.propose("n1/i1", CMD));
    assertThat(failure(neverApplied)).hasMessageContaining("not committed within 3000 ms");
  }
}
