package io.kubechat.pod.ws;

import io.kubechat.pod.auth.AuthException;
import io.kubechat.pod.auth.Identity;
import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatException;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinRequest;
import io.kubechat.pod.chat.LeaveRequest;
import io.kubechat.pod.chat.LocalGroupRouter;
import io.kubechat.pod.chat.SendRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: applies the session rules of docs/protocol.md (hello first, joined groups,
 * limits, rate), talks to the {@link io.kubechat.pod.chat.ChatBackend} and writes the events the
 * {@link LocalGroupRouter} hands it. Runs on the pod's event loop only.
 */
final class WsSession implements LocalGroupRouter.Subscriber, MessageAssembler.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(WsSession.class);

  private final ServerWebSocket ws;
  private final SessionSettings s;
  private final FrameParser parser;
  private final WsSessions owner;
  private final RateLimiter rate;
  private final OrderedSends sends;
  private final Runnable onSocketClosed;

  /** This connection's number on this pod (see {@link JoinRequest#connection()}). */
  private final long connection;

  private final Set<String> groups = new LinkedHashSet<>();

  /** Groups we asked to leave, until our own {@code left} presence comes back with the members. */
  private final Map<String, Long> leaving = new HashMap<>();

  /** Per joined group, the last message this client got: live delivery never goes back. */
  private final Map<String, Position> delivered = new HashMap<>();

  private String user;
  private String clientId;

  /** Who the client proved to be; null until its hello is accepted. */
  private Identity identity;

  /** A hello is being verified: frames that need its identity are refused until it is known. */
  private boolean verifying;

  /**
   * When a connection whose token ran out is closed (wall-clock ms); -1 while the token is valid.
   */
  private long reauthDeadlineMs = -1;

  private long lastReceivedMs;
  private int invalidInARow;
  private int queuedWhileFull;
  private boolean closed;

  WsSession(
      ServerWebSocket ws,
      long connection,
      SessionSettings settings,
      FrameParser parser,
      WsSessions owner,
      Runnable onSocketClosed) {
    this.ws = ws;
    this.onSocketClosed = onSocketClosed;
    this.connection = connection;
    this.s = settings;
    this.parser = parser;
    this.owner = owner;
    this.lastReceivedMs = now();
    this.rate = new RateLimiter(settings.rateLimitPerS(), lastReceivedMs);
    this.sends =
        new OrderedSends(
            settings.backend()::send,
            SessionSettings.MAX_QUEUED_SENDS,
            SessionSettings.REFUSED_HOLD_MS);
  }

  void start() {
    // frames, not Vert.x's text messages: strict UTF-8 and the client's pings are seen here
    ws.frameHandler(new MessageAssembler(s.maxMessageBytes(), this));
    ws.drainHandler(v -> queuedWhileFull = 0);
    ws.closeHandler(
        v -> {
          onClosed();
          onSocketClosed.run();
        });
    ws.exceptionHandler(e -> LOG.debug("connection error: {}", e.toString()));
  }

  long lastReceivedMs() {
    return lastReceivedMs;
  }

  @Override
  public void onBinary() {
    if (admit(null)) {
      reject(
          new FrameError(ErrorCodes.BINARY_NOT_SUPPORTED, "binary frames are not supported", null));
    }
  }

  /**
   * A ping or pong counts against the rate limit like any frame: a ping flood is dropped (Vert.x
   * has answered those pings already), answered RATE_LIMITED and, sustained, closed 4004.
   */
  @Override
  public void onControl() {
    admit(null);
  }

  @Override
  public void onTooLarge() {
    if (admit(null)) {
      reject(
          new FrameError(
              ErrorCodes.TOO_LARGE, "message larger than " + s.maxMessageBytes() + " bytes", null));
    }
  }

  /** RFC 6455 8.1: a text message that is not UTF-8 fails the connection with 1007. */
  @Override
  public void onInvalidUtf8() {
    if (closed) {
      return;
    }
    s.metrics().frameRejected(ErrorCodes.INVALID_UTF8);
    terminate(ErrorCodes.CLOSE_INVALID_PAYLOAD, "INVALID_UTF8", "disconnect");
  }

  @Override
  public void onText(String text) {
    if (!admit(text)) {
      return;
    }
    FrameParser.Result r = parser.parse(text);
    if (r.error() != null) {
      reject(r.error());
      return;
    }
    invalidInARow = 0;
    try {
      dispatch(r.frame());
    } catch (RuntimeException e) {
      LOG.error("bug while handling a frame", e);
      reject(new FrameError(ErrorCodes.INTERNAL, "internal error", null));
    }
  }

  /**
   * Counts activity and applies the rate limit; false when the frame ({@code text}, null for a
   * binary one) must be dropped.
   */
  private boolean admit(String text) {
    if (closed) {
      return false;
    }
    lastReceivedMs = now();
    switch (rate.onFrame(lastReceivedMs)) {
      case ALLOW:
        return true;
      case DROP:
        s.metrics().frameRejected(ErrorCodes.RATE_LIMITED);
        String message =
            "more than " + s.rateLimitPerS() + " frames per second; frames are being dropped";
        // A dropped message is refused by its id, so that the client resends it (and nothing of
        // this connection overtakes it); a flood is cut off before this costs much (4004).
        FrameParser.Result r = text == null ? null : parser.parse(text);
        if (r != null && r.frame() instanceof ClientFrame.Send m) {
          ChatException refused = new ChatException(ErrorCodes.RATE_LIMITED, message, true);
          sends.refuse(m.id(), refused);
          backendError(refused, m.id());
        } else if (rate.firstDropInWindow()) {
          write(ServerFrames.error(new FrameError(ErrorCodes.RATE_LIMITED, message, null)));
        }
        return false;
      default:
        s.metrics().frameRejected(ErrorCodes.RATE_LIMITED);
        terminate(ErrorCodes.CLOSE_FLOOD, "FLOOD", "disconnect");
        return false;
    }
  }

  private void dispatch(ClientFrame frame) {
    if (frame instanceof ClientFrame.Ping p) {
      write(ServerFrames.pong(p.ref()));
      return;
    }
    if (frame instanceof ClientFrame.Hello h) {
      hello(h);
      return;
    }
    if (verifying) {
      // a hello being verified: nothing may run before its identity is known
      reject(new FrameError(ErrorCodes.NOT_HELLO, "a token is being verified", typeOf(frame)));
      return;
    }
    if (user == null) {
      reject(new FrameError(ErrorCodes.NOT_HELLO, "send hello first", typeOf(frame)));
      return;
    }
    if (frame instanceof ClientFrame.Auth a) {
      renew(a);
    } else if (frame instanceof ClientFrame.Join j) {
      join(j);
    } else if (frame instanceof ClientFrame.Leave l) {
      leave(l);
    } else if (frame instanceof ClientFrame.Send m) {
      send(m);
    }
  }

  private void hello(ClientFrame.Hello h) {
    if (user != null || verifying) {
      reject(
          new FrameError(
              ErrorCodes.ALREADY_HELLO, "hello was already sent on this connection", "hello"));
      return;
    }
    verifying = true;
    s.auth()
        .hello(h.user(), h.token())
        .onComplete(
            ar -> {
              verifying = false;
              if (closed) {
                return;
              }
              if (ar.failed()) {
                refuseIdentity(ar.cause(), "hello");
                return;
              }
              identity = ar.result();
              user = identity.user();
              clientId = h.clientId();
              write(
                  ServerFrames.welcome(
                      s.node(),
                      s.incarnation(),
                      s.version(),
                      user,
                      clientId,
                      s.maxFrameBytes(),
                      s.maxTextBytes(),
                      s.maxGroups(),
                      s.idleTimeoutMs(),
                      identity.validUntilMs()));
            });
  }

  /** In-band re-authentication: a new token for the same user replaces the one running out. */
  private void renew(ClientFrame.Auth a) {
    // the current identity stays in force until the new token is verified
    s.auth()
        .renew(user, a.token())
        .onComplete(
            ar -> {
              if (closed) {
                return;
              }
              if (ar.failed()) {
                refuseIdentity(ar.cause(), "auth");
                return;
              }
              identity = ar.result();
              reauthDeadlineMs = -1;
              write(ServerFrames.authed(user, identity.validUntilMs()));
              // a token may narrow the groups: leave those it no longer allows
              for (String g : List.copyOf(groups)) {
                if (!identity.groups().allows(g)) {
                  leaveGroup(g);
                }
              }
            });
  }

  /** A hello or auth was refused: the client gets the reason, then the connection closes 4501. */
  private void refuseIdentity(Throwable e, String ref) {
    String why = e instanceof AuthException ? e.getMessage() : "token check failed";
    if (!(e instanceof AuthException)) {
      LOG.warn("token check failed", e);
    }
    s.metrics().frameRejected(ErrorCodes.UNAUTHENTICATED);
    write(ServerFrames.error(new FrameError(ErrorCodes.UNAUTHENTICATED, why, ref)));
    terminate(ErrorCodes.CLOSE_UNAUTHENTICATED, "UNAUTHENTICATED", "disconnect");
  }

  /**
   * Called about once a second: a token that ran out asks the client for a new one (reauth), and a
   * connection that sent none within the grace period is closed 4006.
   */
  void checkToken(long nowWallMs) {
    if (closed || identity == null || nowWallMs <= identity.validUntilMs()) {
      return;
    }
    if (reauthDeadlineMs < 0) {
      reauthDeadlineMs = nowWallMs + s.reauthGraceMs();
      write(ServerFrames.reauth(s.reauthGraceMs()));
    } else if (nowWallMs > reauthDeadlineMs) {
      LOG.info("closing {} of {}: token expired and not renewed", clientId, user);
      terminate(ErrorCodes.CLOSE_TOKEN_EXPIRED, "TOKEN_EXPIRED", "disconnect");
    }
  }

  /** False, after refusing {@code ref} with FORBIDDEN, when the token does not allow the group. */
  private boolean allowed(String group, String ref) {
    if (identity.groups().allows(group)) {
      return true;
    }
    reject(new FrameError(ErrorCodes.FORBIDDEN, "this token does not allow group " + group, ref));
    return false;
  }

  private void join(ClientFrame.Join j) {
    if (!allowed(j.group(), "join")) {
      return;
    }
    if (!groups.contains(j.group()) && groups.size() + leaving.size() >= s.maxGroups()) {
      reject(
          new FrameError(
              ErrorCodes.TOO_MANY_GROUPS,
              "at most " + s.maxGroups() + " groups per connection",
              "join"));
      return;
    }
    groups.add(j.group());
    s.backend()
        .join(
            new JoinRequest(j.group(), user, clientId, s.node(), j.since(), j.epoch(), connection))
        .onSuccess(
            r -> {
              if (closed) {
                return;
              }
              s.router().subscribe(j.group(), this);
              // the client has everything up to its `since` (same epoch); a pod answering from a
              // state
              // that lags behind it (no quorum) must not send those again when they reach it live
              long has = j.since() >= 0 && !r.reset() ? j.since() : -1;
              delivered.put(j.group(), new Position(r.epoch(), Math.max(r.seq(), has)));
              write(ServerFrames.joinedSelf(r, user, clientId));
              // what was missed since the client's `since`: reset or gap first, then the messages
              // in
              // seq order; live messages follow (the result is computed at the join's log position)
              if (r.reset()) {
                write(ServerFrames.reset(r.group(), r.epoch()));
              }
              if (r.hasGap()) {
                write(ServerFrames.gap(r.group(), r.gapFrom(), r.gapTo()));
              }
              for (ChatMessage m : r.replay()) {
                s.metrics().messageOut();
                write(ServerFrames.message(m));
              }
            })
        .onFailure(
            e -> {
              groups.remove(j.group());
              backendError(e, "join");
            });
  }

  private void leave(ClientFrame.Leave l) {
    if (!allowed(l.group(), "leave")) {
      return;
    }
    if (!groups.contains(l.group())) {
      reject(new FrameError(ErrorCodes.NOT_JOINED, "not joined to " + l.group(), "leave"));
      return;
    }
    leaveGroup(l.group());
  }

  private void leaveGroup(String group) {
    ClientFrame.Leave l = new ClientFrame.Leave(group);
    groups.remove(l.group());
    leaving.put(l.group(), now());
    s.backend()
        .leave(new LeaveRequest(l.group(), user, clientId, s.node(), "leave", connection))
        // normally our own `left` event came first; without it (we were not in the log, or no
        // quorum) the result answers
        .onSuccess(r -> finishLeave(r.group(), r.members(), r.local()))
        .onFailure(
            e -> {
              leaving.remove(l.group());
              s.router().unsubscribe(l.group(), this);
              delivered.remove(l.group());
              backendError(e, "leave");
            });
  }

  private void send(ClientFrame.Send m) {
    if (!groups.contains(m.group())) {
      reject(new FrameError(ErrorCodes.NOT_JOINED, "not joined to " + m.group(), m.id()));
      return;
    }
    if (!allowed(m.group(), m.id())) {
      return;
    }
    s.metrics().messageIn();
    sends
        .submit(new SendRequest(m.group(), user, clientId, m.id(), m.text(), s.node()))
        .onSuccess(r -> write(ServerFrames.ack(r)))
        .onFailure(e -> backendError(e, m.id()));
  }

  @Override
  public void deliver(ChatEvent event) {
    if (closed) {
      return;
    }
    if (event instanceof ChatEvent.Message m) {
      if (groups.contains(m.group()) && advance(m.message())) {
        s.metrics().messageOut();
        writeText(owner.encoded(m, () -> ServerFrames.message(m.message())));
      }
      return;
    }
    ChatEvent.Presence p = (ChatEvent.Presence) event;
    // a client is its user and clientId: another user's clientId is someone else
    boolean mine = p.clientId().equals(clientId) && p.user().equals(user);
    if (mine && !p.joined()) {
      finishLeave(p.group(), p.members(), false);
    } else if (!mine && groups.contains(p.group())) {
      writeText(owner.encoded(p, () -> ServerFrames.presence(p)));
    }
  }

  /**
   * True when {@code m} is past what this client got for its group (by replay or live), and moves
   * the position on. A join answered from the local state is read from a state that may be a little
   * ahead of the events still on their way here: those must not be written twice.
   */
  private boolean advance(ChatMessage m) {
    Position at = delivered.get(m.group());
    if (at != null && at.epoch().equals(m.epoch()) && m.seq() <= at.seq()) {
      return false;
    }
    delivered.put(m.group(), new Position(m.epoch(), m.seq()));
    return true;
  }

  /** Answers our own pending {@code leave} of {@code group} once, whichever comes first. */
  private void finishLeave(String group, List<String> members, boolean local) {
    if (closed || leaving.remove(group) == null) {
      return;
    }
    if (!groups.contains(group)) { // not re-joined in the meantime
      s.router().unsubscribe(group, this);
      delivered.remove(group);
    }
    write(ServerFrames.leftSelf(group, user, clientId, members, local));
  }

  private void write(JsonObject frame) {
    writeText(frame.encode());
  }

  /** Writes a frame; a client whose queue stays full for too many frames is disconnected. */
  private void writeText(String frame) {
    // The peer may have closed before our close handler ran; Vert.x then throws on writes.
    if (closed || ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      if (++queuedWhileFull > s.outboundQueueFrames()) {
        s.metrics().slowConsumer();
        LOG.info("closing slow consumer {} ({} frames queued)", clientId, queuedWhileFull);
        terminate(ErrorCodes.CLOSE_SLOW_CONSUMER, "SLOW_CONSUMER", "disconnect");
        return;
      }
    }
    ws.writeTextMessage(frame);
  }

  private void reject(FrameError e) {
    s.metrics().frameRejected(e.code());
    write(ServerFrames.error(e));
    if (++invalidInARow >= SessionSettings.MAX_INVALID_IN_A_ROW) {
      terminate(ErrorCodes.CLOSE_PROTOCOL_VIOLATION, "PROTOCOL_VIOLATION", "disconnect");
    }
  }

  private void backendError(Throwable e, String ref) {
    if (e instanceof ChatException ce) {
      write(ServerFrames.error(new FrameError(ce.code(), ce.getMessage(), ref)));
    } else {
      LOG.warn("backend failure", e);
      write(ServerFrames.error(new FrameError(ErrorCodes.INTERNAL, "internal error", ref)));
    }
  }

  /** Closes the connection with {@code code} and removes the client from its groups. */
  void terminate(short code, String reason, String presenceReason) {
    if (closed) {
      return;
    }
    leaveAll(presenceReason);
    markClosed();
    closeSocket(code, reason);
  }

  /**
   * Shutdown: closes with 4001 without announcing leaves one by one; peers drop this pod's presence
   * when its goodbye (LEFT) arrives.
   */
  void closeForShutdown() {
    if (closed) {
      return;
    }
    markClosed();
    List.copyOf(groups).forEach(g -> s.router().unsubscribe(g, this));
    closeSocket(ErrorCodes.CLOSE_SHUTDOWN, "SHUTDOWN");
  }

  private void closeSocket(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
  }

  private void onClosed() {
    if (!closed) {
      leaveAll("disconnect");
      markClosed();
    }
  }

  /** Nothing is written or sent for this connection any more. */
  private void markClosed() {
    closed = true;
    sends.abandon();
    owner.removed(this);
  }

  private void leaveAll(String reason) {
    List<String> all = new ArrayList<>(groups);
    all.addAll(leaving.keySet());
    for (String g : all) {
      s.router().unsubscribe(g, this);
      if (groups.contains(g)) {
        s.backend().leave(new LeaveRequest(g, user, clientId, s.node(), reason, connection));
      }
    }
    groups.clear();
    leaving.clear();
    delivered.clear();
  }

  private static String typeOf(ClientFrame f) {
    if (f instanceof ClientFrame.Join) {
      return "join";
    }
    if (f instanceof ClientFrame.Leave) {
      return "leave";
    }
    if (f instanceof ClientFrame.Send m) {
      return m.id();
    }
    if (f instanceof ClientFrame.Auth) {
      return "auth";
    }
    return "hello";
  }

  private record Position(String epoch, long seq) {}

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
