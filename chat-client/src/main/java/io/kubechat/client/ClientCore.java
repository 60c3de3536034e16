package io.kubechat.client;

import io.kubechat.client.auth.TokenKeeper;
import io.kubechat.client.connection.Backoff;
import io.kubechat.client.connection.Connection;
import io.kubechat.client.connection.EndpointRotation;
import io.kubechat.client.connection.Heartbeat;
import io.kubechat.client.groups.GroupPosition;
import io.kubechat.client.groups.GroupTracker;
import io.kubechat.client.groups.JoinSpec;
import io.kubechat.client.groups.PendingRequests;
import io.kubechat.client.outbox.Outbox;
import io.kubechat.client.outbox.PendingSend;
import io.kubechat.client.protocol.CloseCodes;
import io.kubechat.client.protocol.FrameCodec;
import io.kubechat.client.protocol.FrameDecodeException;
import io.kubechat.client.protocol.ServerFrame;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The session logic of a {@link ChatClient}: connect, hello, rejoin, resend, heartbeat, reconnect.
 * Every method runs on the client's single Vert.x context, which is what makes the client
 * thread-safe without locks; {@link ChatClient} hops onto that context. It is one state machine
 * over one connection's state (joins, leaves and sends in flight, timers), which is why it is
 * longer than the other classes; what can stand alone is in {@code connection}, {@code groups} and
 * {@code outbox}.
 */
final class ClientCore implements Connection.Handler {
  /** Retries after a retryable refusal use at most this backoff exponent. */
  private static final int MAX_RETRY_EXPONENT = 8;

  /** Messages written and not answered yet, at most: well under the pods' default rate limit. */
  static final int SEND_WINDOW = 32;

  private final Vertx vertx;
  private final WebSocketClient webSocketClient;
  private final ClientSettings settings;
  private final Listeners listeners;
  private final Consumer<StateChange> stateSink;
  private final FrameCodec codec = new FrameCodec();
  private final EndpointRotation endpoints;
  private final Backoff backoff;
  private final Outbox outbox;
  private final GroupTracker tracker = new GroupTracker();
  private final TokenKeeper tokens;

  private ConnectionState state = ConnectionState.NEW;
  private Connection connection;
  private long generation;
  private boolean welcomed;
  private Heartbeat heartbeat;
  private long handshakeTimer = -1;
  private long reconnectTimer = -1;
  private int attempt;

  /** Groups whose join this connection confirmed (joined, self). */
  private final Set<String> joinedHere = new HashSet<>();

  /** Joins written on this connection and not answered yet. */
  private final PendingRequests joinsInFlight = new PendingRequests();

  /** Leaves written on this connection and not answered yet. */
  private final PendingRequests leavesInFlight = new PendingRequests();

  private final Map<String, CompletableFuture<Presence>> joinWaiters = new HashMap<>();
  private final Map<String, Presence> lastSelfJoin = new HashMap<>();
  private final Map<String, CompletableFuture<Void>> leaveWaiters = new HashMap<>();

  /** Per group joined on this connection, the seq it had at the join, until it is delivered. */
  private final Map<String, Long> catchingUp = new HashMap<>();

  /** Retryable refusals of a group's join in a row, for the backoff of the next attempt. */
  private final Map<String, Integer> joinRetries = new HashMap<>();

  /** Retryable refusals of messages since the last ack, for the backoff of the next resend. */
  private int refusalsInARow;

  /** The timer of the next resend of refused messages, -1 when none is due. */
  private long resendTimer = -1;

  ClientCore(
      Vertx vertx,
      WebSocketClient webSocketClient,
      ClientSettings settings,
      Listeners listeners,
      Consumer<StateChange> stateSink) {
    this.vertx = vertx;
    this.webSocketClient = webSocketClient;
    this.settings = settings;
    this.listeners = listeners;
    this.stateSink = stateSink;
    this.endpoints = new EndpointRotation(settings.endpoints());
    this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
    this.outbox = new Outbox(settings.outboxCapacity());
    this.tokens = new TokenKeeper(vertx, settings.tokens());
  }

  // ---- application operations -------------------------------------------------------------

  void start() {
    if (state != ConnectionState.NEW) {
      return;
    }
    changeState(ConnectionState.CONNECTING, null, null, null, null, false);
    connectNext();
  }

  void join(String group, Long since, CompletableFuture<Presence> result) {
    if (state.terminal()) {
      result.completeExceptionally(new ChatClientClosedException("client is " + state));
      return;
    }
    if (tracker.isTracked(group) && joinedHere.contains(group)) {
      result.complete(lastSelfJoin.get(group));
      return;
    }
    joinWaiters
        .computeIfAbsent(group, g -> new CompletableFuture<>())
        .whenComplete(
            (presence, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
              } else {
                result.complete(presence);
              }
            });
    boolean alreadyTracked = tracker.isTracked(group);
    tracker.track(group, since);
    if (welcomed && !alreadyTracked) {
      sendJoin(group);
    }
  }

  void leave(String group, CompletableFuture<Void> result) {
    if (!tracker.isTracked(group)) {
      result.complete(null);
      return;
    }
    tracker.untrack(group);
    catchingUp.remove(group);
    lastSelfJoin.remove(group);
    CompletableFuture<Presence> joinWaiter = joinWaiters.remove(group);
    if (joinWaiter != null) {
      joinWaiter.completeExceptionally(new IllegalStateException("left " + group));
    }
    for (PendingSend send : outbox.drainGroup(group)) {
      send.result()
          .completeExceptionally(
              new IllegalStateException(
                  "left " + group + " before the message " + send.id() + " was acknowledged"));
    }
    if (welcomed && (joinedHere.contains(group) || joinsInFlight.isWaiting(group))) {
      joinedHere.remove(group);
      leaveWaiters
          .computeIfAbsent(group, g -> new CompletableFuture<>())
          .whenComplete((v, e) -> result.complete(null));
      sendLeave(group);
    } else {
      result.complete(null);
    }
  }

  void send(String group, String id, String text, CompletableFuture<Ack> result) {
    if (state.terminal()) {
      result.completeExceptionally(new ChatClientClosedException("client is " + state));
      return;
    }
    if (!tracker.isTracked(group)) {
      result.completeExceptionally(
          new IllegalStateException("join " + group + " before sending to it"));
      return;
    }
    if (outbox.get(id) != null) {
      result.completeExceptionally(new IllegalArgumentException("id already pending: " + id));
      return;
    }
    PendingSend send = new PendingSend(id, group, text, result);
    try {
      outbox.add(send);
    } catch (OutboxFullException e) {
      result.completeExceptionally(e);
      return;
    }
    writeOutbox();
  }

  int outboxSize() {
    return outbox.size();
  }

  void close(CompletableFuture<Void> done) {
    if (state.terminal()) {
      done.complete(null);
      return;
    }
    terminate(ConnectionState.CLOSED, "closed by the application");
    done.complete(null);
  }

  // ---- connection lifecycle ---------------------------------------------------------------

  private void connectNext() {
    reconnectTimer = -1;
    if (state.terminal()) {
      return;
    }
    generation++;
    Connection opening = new Connection(endpoints.next(), this);
    connection = opening;
    opening
        .open(webSocketClient, settings.connectTimeout())
        .onSuccess(
            v -> {
              if (connection != opening) {
                return;
              }
              // a fresh token for every connection: the last one may have expired meanwhile
              tokens
                  .fetch()
                  .onComplete(
                      token -> {
                        if (connection != opening) {
                          return;
                        }
                        if (token.failed()) {
                          opening.close((short) 1000, "no token: " + token.cause().getMessage());
                          return;
                        }
                        hello(opening, token.result());
                      });
            });
  }

  private void hello(Connection opening, String token) {
    opening.write(codec.hello(settings.user(), settings.clientId(), token));
    handshakeTimer =
        vertx.setTimer(
            settings.pongTimeout().toMillis(),
            id -> {
              handshakeTimer = -1;
              if (connection == opening && !welcomed) {
                opening.close(
                    (short) 1000, "no welcome within " + settings.pongTimeout().toMillis() + " ms");
              }
            });
  }

  /** Re-authenticates the current connection in band with {@code token}. */
  private void renew(Connection on, String token) {
    if (connection == on && welcomed) {
      on.write(codec.auth(token));
    }
  }

  @Override
  public void onEnd(Connection ended, Integer code, String reason) {
    if (ended != connection || state.terminal()) {
      return;
    }
    dropConnectionState();
    String why =
        code == null
            ? (reason == null ? "connection lost" : reason)
            : CloseCodes.describe(code) + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    CloseCodes.Action action = CloseCodes.actionFor(code);
    if (action == CloseCodes.Action.GIVE_UP) {
      terminate(ConnectionState.FAILED, "server closed with " + why);
      return;
    }
    Duration delay =
        action == CloseCodes.Action.RECONNECT_NOW && attempt == 0
            ? Duration.ZERO
            : backoff.delay(attempt);
    attempt++;
    changeState(
        ConnectionState.RECONNECTING,
        ended.endpoint().toString(),
        why,
        delay,
        null,
        ended.opened());
    reconnectTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> connectNext());
  }

  /** Forget everything that belonged to the connection that just ended. */
  private void dropConnectionState() {
    connection = null;
    welcomed = false;
    tokens.cancel();
    joinedHere.clear();
    catchingUp.clear();
    joinsInFlight.clear();
    leavesInFlight.clear();
    if (heartbeat != null) {
      heartbeat.stop();
      heartbeat = null;
    }
    if (handshakeTimer != -1) {
      vertx.cancelTimer(handshakeTimer);
      handshakeTimer = -1;
    }
    if (resendTimer != -1) {
      vertx.cancelTimer(resendTimer); // the next connection sends the whole outbox on joined
      resendTimer = -1;
    }
    // A leave in flight is done as far as the server is concerned: the connection is gone.
    leaveWaiters.values().forEach(waiter -> waiter.complete(null));
    leaveWaiters.clear();
  }

  private void terminate(ConnectionState finalState, String reason) {
    Connection open = connection;
    String endpoint = open == null ? null : open.endpoint().toString();
    if (reconnectTimer != -1) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    changeState(finalState, endpoint, reason, null, null, open != null && open.opened());
    dropConnectionState();
    if (open != null) {
      open.close((short) 1000, reason);
    }
    ChatClientClosedException closed = new ChatClientClosedException(reason);
    for (PendingSend send : outbox.drain()) {
      send.result().completeExceptionally(closed);
    }
    joinWaiters.values().forEach(waiter -> waiter.completeExceptionally(closed));
    joinWaiters.clear();
  }

  private void changeState(
      ConnectionState next,
      String endpoint,
      String reason,
      Duration retryIn,
      ServerInfo info,
      boolean reached) {
    ConnectionState previous = state;
    state = next;
    StateChange change =
        new StateChange(previous, next, endpoint, reason, retryIn, attempt, info, reached);
    stateSink.accept(change);
    listeners.emit(listener -> listener.onStateChange(change));
  }

  // ---- frames from the server -------------------------------------------------------------

  @Override
  public void onBinary(Connection from) {
    if (from == connection) {
      listeners.emit(
          listener ->
              listener.onError(
                  new ChatError(
                      "BAD_FRAME", "binary frame from the server ignored", null, false, true)));
    }
  }

  @Override
  public void onText(Connection from, String text) {
    if (from != connection) {
      return;
    }
    ServerFrame frame;
    try {
      frame = codec.decode(text);
    } catch (FrameDecodeException e) {
      ChatError error = new ChatError(e.code(), e.getMessage(), null, false, true);
      listeners.emit(listener -> listener.onError(error));
      return;
    }
    if (frame instanceof ServerFrame.Welcome welcome) {
      onWelcome(welcome.info());
      tokens.scheduleRenewal(welcome.validUntil(), t -> renew(from, t));
    } else if (frame instanceof ServerFrame.Authed authed) {
      tokens.scheduleRenewal(authed.validUntil(), t -> renew(from, t));
    } else if (frame instanceof ServerFrame.Reauth) {
      tokens.renewNow(t -> renew(from, t));
    } else if (frame instanceof ServerFrame.Joined joined) {
      onJoined(joined);
    } else if (frame instanceof ServerFrame.Left left) {
      onLeft(left.presence());
    } else if (frame instanceof ServerFrame.Message message) {
      if (tracker.accept(message.message())) {
        listeners.emit(listener -> listener.onMessage(message.message()));
        checkCaughtUp(message.message().group());
      }
    } else if (frame instanceof ServerFrame.AckFrame ack) {
      onAck(ack.ack());
    } else if (frame instanceof ServerFrame.GapFrame gap) {
      tracker.onGap(gap.gap().group(), gap.gap().to());
      listeners.emit(listener -> listener.onGap(gap.gap()));
      checkCaughtUp(gap.gap().group());
    } else if (frame instanceof ServerFrame.ResetFrame reset) {
      tracker.onReset(reset.reset().group(), reset.reset().epoch());
      listeners.emit(listener -> listener.onReset(reset.reset()));
      checkCaughtUp(reset.reset().group());
    } else if (frame instanceof ServerFrame.Pong) {
      if (heartbeat != null) {
        heartbeat.onPong();
      }
    } else if (frame instanceof ServerFrame.Error error) {
      onError(error.error());
    }
  }

  private void onWelcome(ServerInfo info) {
    if (welcomed) {
      return;
    }
    welcomed = true;
    attempt = 0;
    if (handshakeTimer != -1) {
      vertx.cancelTimer(handshakeTimer);
      handshakeTimer = -1;
    }
    Connection current = connection;
    heartbeat =
        new Heartbeat(
            vertx,
            pingInterval(info),
            settings.pongTimeout(),
            ref -> current.write(codec.ping(ref)),
            () ->
                current.close(
                    (short) 1000, "no pong within " + settings.pongTimeout().toMillis() + " ms"));
    heartbeat.start();
    changeState(ConnectionState.CONNECTED, current.endpoint().toString(), null, null, info, true);
    for (String group : tracker.groups()) {
      sendJoin(group);
    }
  }

  /** Ping often enough for the server's idle timeout even when it is shorter than configured. */
  private Duration pingInterval(ServerInfo info) {
    Duration configured = settings.pingInterval();
    if (info.idleTimeoutMs() > 0 && info.idleTimeoutMs() / 3 < configured.toMillis()) {
      return Duration.ofMillis(Math.max(100, info.idleTimeoutMs() / 3));
    }
    return configured;
  }

  private void sendJoin(String group) {
    JoinSpec spec = tracker.joinSpec(group);
    watchAnswer(joinsInFlight, group, this::onJoinLost);
    connection.write(codec.join(spec.group(), spec.since(), spec.epoch()));
  }

  private void sendLeave(String group) {
    watchAnswer(leavesInFlight, group, this::onLeaveLost);
    connection.write(codec.leave(group));
  }

  /**
   * Records a request about to be written and calls {@code onLost} if it is still unanswered on
   * this connection after the answer timeout.
   */
  private void watchAnswer(PendingRequests requests, String group, Consumer<String> onLost) {
    long request = requests.sent(group);
    long sentOn = generation;
    vertx.setTimer(
        settings.answerTimeout().toMillis(),
        id -> {
          if (generation == sentOn && welcomed && requests.isWaiting(group, request)) {
            onLost.accept(group);
          }
        });
  }

  private void onJoinLost(String group) {
    List<PendingRequests.Refusal> refusals = joinsInFlight.lost(group);
    onJoinRefusals(refusals);
    if (refusals.stream().noneMatch(r -> r.group().equals(group))) {
      retryJoin(group); // dropped by the server
    }
  }

  private void onLeaveLost(String group) {
    List<PendingRequests.Refusal> refusals = leavesInFlight.lost(group);
    onLeaveRefusals(refusals);
    if (refusals.stream().noneMatch(r -> r.group().equals(group))) {
      if (tracker.isTracked(group)) {
        completeLeave(group); // joined again since: nothing to leave any more
      } else {
        sendLeave(group); // dropped by the server
      }
    }
  }

  private void onJoined(ServerFrame.Joined joined) {
    Presence presence = joined.presence();
    String group = presence.group();
    if (presence.self()) {
      List<PendingRequests.Refusal> refusals = joinsInFlight.answered(group);
      onJoinRefusals(refusals);
      if (!tracker.isTracked(group)) {
        return; // left before the answer came
      }
      joinedHere.add(group);
      joinRetries.remove(group);
      tracker.onJoined(group, joined.epoch(), joined.seq());
      lastSelfJoin.put(group, presence);
      catchingUp.put(group, joined.seq());
      CompletableFuture<Presence> waiter = joinWaiters.remove(group);
      if (waiter != null) {
        waiter.complete(presence);
      }
      listeners.emit(listener -> listener.onPresence(presence));
      checkCaughtUp(group);
      writeOutbox();
    } else if (tracker.isTracked(group)) {
      listeners.emit(listener -> listener.onPresence(presence));
    }
  }

  /** Tells the listeners once the replay after a join has reached the group's seq at the join. */
  private void checkCaughtUp(String group) {
    Long seq = catchingUp.get(group);
    GroupPosition position = tracker.position(group);
    if (seq != null && position != null && position.lastSeq() >= seq) {
      catchingUp.remove(group);
      listeners.emit(listener -> listener.onCaughtUp(group, seq));
    }
  }

  private void onLeft(Presence presence) {
    if (presence.self()) {
      onLeaveRefusals(leavesInFlight.answered(presence.group()));
      completeLeave(presence.group());
      listeners.emit(listener -> listener.onPresence(presence));
    } else if (tracker.isTracked(presence.group())) {
      listeners.emit(listener -> listener.onPresence(presence));
    }
  }

  private void onAck(Ack ack) {
    PendingSend send = outbox.remove(ack.id());
    refusalsInARow = 0;
    if (send == null) {
      return; // a second ack for a resent message: the first one already completed it
    }
    Ack complete =
        ack.group() == null
            ? new Ack(ack.id(), send.group(), ack.seq(), ack.epoch(), ack.ts())
            : ack;
    send.result().complete(complete);
    writeOutbox(); // a place in the send window came free
  }

  private void onError(ChatError error) {
    PendingSend send = outbox.get(error.ref());
    if (send != null) {
      if (error.retryable()) {
        send.markRefused();
        scheduleResend();
        listeners.emit(listener -> listener.onSendRefused(error));
      } else {
        outbox.remove(send.id());
        send.result().completeExceptionally(new ChatServerException(error.code(), error.message()));
        writeOutbox();
      }
      return;
    }
    if ("join".equals(error.ref()) && joinsInFlight.size() > 0) {
      onJoinRefusals(joinsInFlight.refused(error));
    } else if ("hello".equals(error.ref()) && !welcomed) {
      if (error.retryable()) {
        connection.close((short) 1000, "hello refused: " + error.code());
      } else {
        terminate(ConnectionState.FAILED, "hello refused: " + error.code() + " " + error.message());
      }
      return;
    } else if ("leave".equals(error.ref()) && leavesInFlight.size() > 0) {
      onLeaveRefusals(leavesInFlight.refused(error));
    }
    listeners.emit(listener -> listener.onError(error));
  }

  /**
   * Refused joins: when any of the errors told apart together is retryable, which error belongs to
   * which join is not known, so they are all tried again; the next answers tell them apart.
   */
  private void onJoinRefusals(List<PendingRequests.Refusal> refusals) {
    boolean retry = refusals.stream().anyMatch(r -> r.error().retryable());
    for (PendingRequests.Refusal refusal : refusals) {
      if (retry) {
        retryJoin(refusal.group());
      } else {
        failJoin(refusal.group(), refusal.error());
      }
    }
  }

  /** Any answer to a leave, an error too (NOT_JOINED, or the server gave up on it), ends it. */
  private void onLeaveRefusals(List<PendingRequests.Refusal> refusals) {
    refusals.forEach(refusal -> completeLeave(refusal.group()));
  }

  private void completeLeave(String group) {
    CompletableFuture<Void> waiter = leaveWaiters.remove(group);
    if (waiter != null) {
      waiter.complete(null);
    }
  }

  /** Joins {@code group} again after a backoff delay that grows with its refusals in a row. */
  private void retryJoin(String group) {
    long joinedOn = generation;
    int retries = joinRetries.merge(group, 1, Integer::sum);
    long delay = backoff.delay(Math.min(retries - 1, MAX_RETRY_EXPONENT)).toMillis();
    vertx.setTimer(
        Math.max(1, delay),
        id -> {
          if (generation == joinedOn
              && welcomed
              && tracker.isTracked(group)
              && !joinedHere.contains(group)
              && !joinsInFlight.isWaiting(group)) {
            sendJoin(group);
          }
        });
  }

  private void failJoin(String group, ChatError error) {
    tracker.untrack(group);
    joinRetries.remove(group);
    ChatServerException refused = new ChatServerException(error.code(), error.message());
    CompletableFuture<Presence> waiter = joinWaiters.remove(group);
    if (waiter != null) {
      waiter.completeExceptionally(refused);
    }
    for (PendingSend pending : outbox.drainGroup(group)) {
      pending.result().completeExceptionally(refused);
    }
  }

  /**
   * After a retryable refusal, resends (once, after a backoff delay) every message not written on
   * this connection since, oldest first: the server refuses what was queued behind a refused
   * message too, so resending them together and in order keeps the user's order.
   */
  private void scheduleResend() {
    if (resendTimer != -1) {
      return;
    }
    long delay =
        Math.max(1, backoff.delay(Math.min(refusalsInARow++, MAX_RETRY_EXPONENT)).toMillis());
    resendTimer =
        vertx.setTimer(
            delay,
            id -> {
              resendTimer = -1;
              writeOutbox();
            });
  }

  /**
   * Writes, oldest first, the outbox's messages of groups joined on this connection that are not on
   * their way on it yet, keeping at most {@link #SEND_WINDOW} unanswered: a full outbox would
   * otherwise hit the server's rate limit in one burst. While refused messages wait for their
   * resend, nothing is written, so that nothing overtakes them.
   */
  private void writeOutbox() {
    if (!welcomed || resendTimer != -1) {
      return;
    }
    List<PendingSend> pending = outbox.all();
    long unanswered = pending.stream().filter(p -> p.sentOn(generation)).count();
    for (PendingSend send : pending) {
      if (unanswered >= SEND_WINDOW) {
        return;
      }
      if (joinedHere.contains(send.group()) && !send.sentOn(generation)) {
        write(send);
        unanswered++;
      }
    }
  }

  private void write(PendingSend send) {
    send.markSent(generation);
    connection.write(codec.send(send.group(), send.id(), send.text()));
  }
}
