package io.kubechat.pod.ws;

/** Error codes and close codes, exactly as in docs/protocol.md. */
public final class ErrorCodes {
  public static final String BAD_JSON = "BAD_JSON";
  public static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";
  public static final String MISSING_FIELD = "MISSING_FIELD";
  public static final String BAD_FIELD = "BAD_FIELD";
  public static final String INVALID_NAME = "INVALID_NAME";
  public static final String INVALID_ID = "INVALID_ID";
  public static final String TOO_LARGE = "TOO_LARGE";
  public static final String BINARY_NOT_SUPPORTED = "BINARY_NOT_SUPPORTED";
  public static final String NOT_HELLO = "NOT_HELLO";
  public static final String ALREADY_HELLO = "ALREADY_HELLO";
  public static final String NOT_JOINED = "NOT_JOINED";
  public static final String TOO_MANY_GROUPS = "TOO_MANY_GROUPS";
  public static final String RATE_LIMITED = "RATE_LIMITED";
  public static final String UNAVAILABLE = "UNAVAILABLE";
  public static final String INTERNAL = "INTERNAL";
  public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
  public static final String FORBIDDEN = "FORBIDDEN";

  /** Not an error frame: the metric code of a text message that is not UTF-8 (closed 1007). */
  public static final String INVALID_UTF8 = "INVALID_UTF8";

  /** RFC 6455: a text message that is not valid UTF-8. */
  public static final short CLOSE_INVALID_PAYLOAD = 1007;

  public static final short CLOSE_SHUTDOWN = 4001;
  public static final short CLOSE_SLOW_CONSUMER = 4002;
  public static final short CLOSE_IDLE_TIMEOUT = 4003;
  public static final short CLOSE_FLOOD = 4004;
  public static final short CLOSE_RESYNC = 4005;
  public static final short CLOSE_TOKEN_EXPIRED = 4006;
  public static final short CLOSE_MOVE = 4007;
  public static final short CLOSE_PROTOCOL_VIOLATION = 4500;
  public static final short CLOSE_UNAUTHENTICATED = 4501;

  private ErrorCodes() {}
}
