package io.kubechat.client.protocol;

/** What a WebSocket close code tells the client to do (docs/protocol.md, "Close codes"). */
public final class CloseCodes {
  public static final int SHUTDOWN = 4001;
  public static final int SLOW_CONSUMER = 4002;
  public static final int IDLE_TIMEOUT = 4003;
  public static final int FLOOD = 4004;

  /**
   * The pod's copy of the history jumped ahead of what it sent this client (it caught up from a
   * snapshot): reconnect at once, to any pod (this one too), and re-join with since/epoch, which
   * replays what was missed.
   */
  public static final int RESYNC = 4005;

  /**
   * The pod has been unable to commit for a few seconds while others may: reconnect at once, to
   * another pod.
   */
  public static final int MOVE = 4007;

  /** The token ran out without re-authentication: reconnect (with a fresh token) at once. */
  public static final int TOKEN_EXPIRED = 4006;

  public static final int PROTOCOL_VIOLATION = 4500;

  /** The hello or auth was refused: the token is not valid; reconnecting with it is useless. */
  public static final int UNAUTHENTICATED = 4501;

  private CloseCodes() {}

  /** The reaction to a close. */
  public enum Action {
    /**
     * Reconnect at once: the server is going away on purpose (to another pod), or asks for a
     * re-join to replay what it could not deliver live.
     */
    RECONNECT_NOW,
    /** Reconnect after the backoff delay. */
    RECONNECT_WITH_BACKOFF,
    /** Do not reconnect as is. */
    GIVE_UP
  }

  /** {@code code} is null when the connection ended without a close frame. */
  public static Action actionFor(Integer code) {
    if (code == null) {
      return Action.RECONNECT_WITH_BACKOFF;
    }
    if (code == SHUTDOWN || code == RESYNC || code == TOKEN_EXPIRED || code == MOVE) {
      return Action.RECONNECT_NOW;
    }
    if (code >= 4500 && code <= 4999) {
      return Action.GIVE_UP;
    }
    // 4000-4499, 1000-1015 (server stopped, abnormal close, ...) and anything unknown.
    return Action.RECONNECT_WITH_BACKOFF;
  }

  /** A readable name for logs and state changes. */
  public static String describe(Integer code) {
    if (code == null) {
      return "connection lost";
    }
    return switch (code) {
      case SHUTDOWN -> "4001 SHUTDOWN";
      case SLOW_CONSUMER -> "4002 SLOW_CONSUMER";
      case IDLE_TIMEOUT -> "4003 IDLE_TIMEOUT";
      case FLOOD -> "4004 FLOOD";
      case RESYNC -> "4005 RESYNC";
      case TOKEN_EXPIRED -> "4006 TOKEN_EXPIRED";
      case UNAUTHENTICATED -> "4501 UNAUTHENTICATED";
      case MOVE -> "4007 MOVE";
      case PROTOCOL_VIOLATION -> "4500 PROTOCOL_VIOLATION";
      case 1000 -> "1000 normal closure";
      case 1001 -> "1001 going away";
      case 1006 -> "1006 abnormal closure";
      default -> String.valueOf(code);
    };
  }
}
