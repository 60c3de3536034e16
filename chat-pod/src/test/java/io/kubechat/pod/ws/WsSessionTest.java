package io.kubechat.pod.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubechat.pod.auth.NoClientAuth;
import io.kubechat.pod.chat.BackendStatus;
import io.kubechat.pod.chat.ChatBackend;
import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.LocalGroupRouter;
import io.kubechat.pod.chat.RecoveryReport;
import io.kubechat.pod.chat.SendRequest;
import io.kubechat.pod.chat.SendResult;
import io.kubechat.pod.metrics.PodMetrics;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session rules that depend on what the backend answers, over a real WebSocket (127.0.8.2) with
 * a scripted {@link ChatBackend} that plays situations a real cluster produces only under faults: a
 * pod answering a join from a state behind the client, a send refused while others of the same
 * connection wait. The real backend's side is covered by RaftChatBackendTest and the pod tests.
 */
class WsSessionTest {
  private static final String HOST = "127.0.8.2";
  private static final String EPOCH = "kc1-1";

  /** Frames per second per connection (bursts of 2 x): low, so that one test can exceed it. */
  private static final int RATE = 10;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final ScriptedBackend backend = new ScriptedBackend();
  private final LocalGroupRouter router = new LocalGroupRouter();
  private int port;

  @BeforeEach
  void startServer() throws Exception {
    Promise<Integer> listening = Promise.promise();
    context.runOnContext(
        v -> {
          WsSessions sessions =
              new WsSessions(
                  new SessionSettings(
                      vertx,
                      "pod-t",
                      "i1",
                      "test",
                      65536,
                      8192,
                      10,
                      1000,
                      RATE,
                      30_000,
                      backend,
                      router,
                      new PodMetrics(),
                      new NoClientAuth(),
                      30_000));
          vertx
              .createHttpServer(new HttpServerOptions().setHost(HOST).setPort(0))
              .webSocketHandler(ws -> sessions.open(ws, () -> {}))
              .listen()
              .onSuccess(s -> listening.complete(s.actualPort()))
              .onFailure(listening::fail);
        });
    port = listening.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void emit(ChatEvent event) {
    context.runOnContext(v -> router.route(event));
  }

  private static ChatEvent message(long seq) {
    return new ChatEvent.Message(
        new ChatMessage("g", seq, EPOCH, "bob", "c-bob", "b" + seq, "text " + seq, 0, "pod-x"));
  }

  private static JsonObject send(String id) {
    return new JsonObject().put("type", "send").put("group", "g").put("id", id).put("text", "t");
  }

  @Test
  void aJoinAnsweredFromAStateBehindTheClientNeverSendsWhatTheClientHasAgain() {
    // the pod has applied up to seq 36; the client saw up to 41 on a pod that died
    backend.onJoin =
        r ->
            Future.succeededFuture(
                new JoinResult("g", EPOCH, 36, List.of("ann"), List.of(), -1, -1, false, false)
                    .answeredLocally(List.of("ann")));
    try (WsTestClient ann = WsTestClient.hello(vertx, HOST, port, "ann", "c-ann")) {
      ann.send(
          new JsonObject()
              .put("type", "join")
              .put("group", "g")
              .put("since", 41)
              .put("epoch", EPOCH));
      JsonObject joined = ann.await(f -> "joined".equals(f.getString("type")));
      assertThat(joined.getBoolean("local")).isTrue();
      for (long seq = 37; seq <= 42; seq++) {
        emit(message(seq)); // the pod catches up: 37..41 again, then the new 42
      }
      ann.await(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 42);
      assertThat(ann.frames())
          .filteredOn(f -> "message".equals(f.getString("type")))
          .extracting(f -> f.getLong("seq"))
          .containsExactly(42L);
    }
  }

  @Test
  void liveMessagesAreNeverWrittenTwiceOrBackwards() {
    backend.onJoin =
        r ->
            Future.succeededFuture(
                new JoinResult("g", EPOCH, 5, List.of("ann"), List.of(), -1, -1, false, false));
    try (WsTestClient ann = WsTestClient.hello(vertx, HOST, port, "ann", "c-ann")) {
      ann.join("g");
      for (long seq : new long[] {6, 7, 7, 5, 8}) {
        emit(message(seq));
      }
      ann.await(f -> "message".equals(f.getString("type")) && f.getLong("seq") == 8);
      assertThat(ann.frames())
          .filteredOn(f -> "message".equals(f.getString("type")))
          .extracting(f -> f.getLong("seq"))
          .containsExactly(6L, 7L, 8L);
    }
  }

  @Test
  void aRefusedSendFailsTheOnesQueuedBehindItAndNothingOvertakesIt() {
    backend.onJoin =
        r ->
            Future.succeededFuture(
                new JoinResult("g", EPOCH, 0, List.of("ann"), List.of(), -1, -1, false, false));
    Promise<SendResult> first = Promise.promise();
    backend.onSend = r -> first.future();
    try (WsTestClient ann = WsTestClient.hello(vertx, HOST, port, "ann", "c-ann")) {
      ann.join("g");
      ann.send(send("m1")).send(send("m2")).send(send("m3"));
      // m2 and m3 are queued: m1 is the only one handed to the backend
      ann.send(new JsonObject().put("type", "ping").put("ref", "after-sends"));
      ann.await(f -> "pong".equals(f.getString("type")));
      assertThat(backend.sends).extracting(SendRequest::id).containsExactly("m1");
      context.runOnContext(v -> first.fail(new ChatException("UNAVAILABLE", "no leader", true)));
      await().until(() -> ann.count(f -> "error".equals(f.getString("type"))) == 3);
      assertThat(ann.frames())
          .filteredOn(f -> "error".equals(f.getString("type")))
          .allSatisfy(
              f -> {
                assertThat(f.getString("code")).isEqualTo("UNAVAILABLE");
                assertThat(f.getBoolean("retryable")).isTrue();
              })
          .extracting(f -> f.getString("ref"))
          .containsExactly("m1", "m2", "m3");
      assertThat(backend.sends).extracting(SendRequest::id).containsExactly("m1");
    }
  }

  @Test
  void aSendDroppedByTheRateLimitIsRefusedByItsIdAndHoldsBackTheRest() {
    backend.onJoin =
        r ->
            Future.succeededFuture(
                new JoinResult("g", EPOCH, 0, List.of("ann"), List.of(), -1, -1, false, false));
    backend.onSend = r -> Future.succeededFuture(new SendResult("g", r.id(), 1, EPOCH, 0));
    try (WsTestClient ann = WsTestClient.hello(vertx, HOST, port, "ann", "c-ann")) {
      ann.join("g");
      int sent = 2 * RATE + 5; // over the burst, under the flood threshold
      for (int i = 1; i <= sent; i++) {
        ann.send(send("m" + i));
      }
      // every send is answered: an ack, or RATE_LIMITED naming it (so the client can resend it)
      await()
          .until(
              () ->
                  ann.count(
                          f ->
                              "ack".equals(f.getString("type"))
                                  || "error".equals(f.getString("type")))
                      == sent);
      List<String> refused =
          ann.frames().stream()
              .filter(f -> "error".equals(f.getString("type")))
              .peek(f -> assertThat(f.getString("code")).isEqualTo("RATE_LIMITED"))
              .peek(f -> assertThat(f.getBoolean("retryable")).isTrue())
              .map(f -> f.getString("ref"))
              .toList();
      int passed = sent - refused.size();
      assertThat(refused)
          .isNotEmpty()
          .containsExactlyElementsOf(
              IntStream.rangeClosed(passed + 1, sent).mapToObj(i -> "m" + i).toList());
      assertThat(backend.sends).hasSize(passed);
    }
  }

  /** A backend whose answers each test scripts. */
  private static final class ScriptedBackend implements ChatBackend {
    Function<JoinRequest, Future<JoinResult>> onJoin;
    Function<SendRequest, Future<SendResult>> onSend;
    final List<SendRequest> sends = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> start() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
      return Future.succeededFuture();
    }

    @Override
    public Future<JoinResult> join(JoinRequest request) {
      return onJoin.apply(request);
    }

    @Override
    public Future<LeaveResult> leave(LeaveRequest request) {
      return Future.succeededFuture(new LeaveResult(request.group(), List.of(), false));
    }

    @Override
    public Future<SendResult> send(SendRequest request) {
      sends.add(request);
      return onSend.apply(request);
    }

    @Override
    public Future<Void> dropNode(String node) {
      return Future.succeededFuture();
    }

    @Override
    public Future<RecoveryReport> recoverQuorum() {
      return Future.failedFuture("no consensus here");
    }

    @Override
    public void eventHandler(Handler<ChatEvent> handler) {
      // the test routes its events itself
    }

    @Override
    public void resyncHandler(Handler<Void> handler) {}

    @Override
    public BackendStatus status() {
      return new BackendStatus("LEADER", 1, "pod-t", 0, "kc-test", 1, 0, true, null, List.of());
    }
  }
}
