package io.kubechat.pod.ws;

import io.kubechat.pod.chat.ChatEvent;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The open connections of this pod: opens sessions, closes idle ones and those whose token ran out
 * (one sweep timer per pod, not one per socket) and closes all of them on shutdown. Runs on the
 * pod's event loop.
 */
public final class WsSessions {
  private final SessionSettings settings;
  private final FrameParser parser;
  private final Set<WsSession> open = new LinkedHashSet<>();
  private volatile int count;
  private long opened;

  /** The event delivered last and its frame: every local member of a group gets the same text. */
  private ChatEvent lastEvent;

  private String lastFrame;
  private long sweepTimer = -1;

  public WsSessions(SessionSettings settings) {
    this.settings = settings;
    this.parser = new FrameParser(settings.maxFrameBytes(), settings.maxTextBytes());
  }

  public void startIdleSweep() {
    long period = Math.max(100, Math.min(1000, settings.idleTimeoutMs() / 4));
    sweepTimer = settings.vertx().setPeriodic(period, id -> sweepIdle());
  }

  /** Starts a session on {@code ws}; {@code onSocketClosed} runs once the socket has closed. */
  public void open(ServerWebSocket ws, Runnable onSocketClosed) {
    WsSession session = new WsSession(ws, ++opened, settings, parser, this, onSocketClosed);
    open.add(session);
    count = open.size();
    session.start();
  }

  /** The text of {@code frame} for {@code event}, encoded once for all the sessions it goes to. */
  String encoded(ChatEvent event, Supplier<JsonObject> frame) {
    if (event != lastEvent) {
      lastFrame = frame.get().encode();
      lastEvent = event;
    }
    return lastFrame;
  }

  void removed(WsSession session) {
    open.remove(session);
    count = open.size();
  }

  /** Connected clients; safe to read from any thread (metrics, /status). */
  public int count() {
    return count;
  }

  private void sweepIdle() {
    long now = System.nanoTime() / 1_000_000;
    long wall = System.currentTimeMillis(); // token expiry is wall-clock time
    for (WsSession session : new ArrayList<>(open)) {
      if (now - session.lastReceivedMs() > settings.idleTimeoutMs()) {
        session.terminate(ErrorCodes.CLOSE_IDLE_TIMEOUT, "IDLE_TIMEOUT", "timeout");
      } else {
        session.checkToken(wall);
      }
    }
  }

  /**
   * Closes every connection with 4005 RESYNC: this pod's state jumped ahead of what its clients
   * were sent, so they reconnect and re-join with since/epoch, which replays what they missed.
   */
  public int closeAllForResync() {
    return closeAll(ErrorCodes.CLOSE_RESYNC, "RESYNC");
  }

  /**
   * Closes every connection with 4007 MOVE: this pod cannot commit while others may, so its clients
   * reconnect to another pod at once.
   */
  public int closeAllToMove() {
    return closeAll(ErrorCodes.CLOSE_MOVE, "MOVE");
  }

  private int closeAll(short code, String reason) {
    List<WsSession> all = new ArrayList<>(open);
    all.forEach(s -> s.terminate(code, reason, "disconnect"));
    return all.size();
  }

  /** Closes every connection with 4001 SHUTDOWN (reconnect elsewhere). */
  public void closeAllForShutdown() {
    if (sweepTimer >= 0) {
      settings.vertx().cancelTimer(sweepTimer);
    }
    List<WsSession> all = new ArrayList<>(open);
    all.forEach(WsSession::closeForShutdown);
  }
}
