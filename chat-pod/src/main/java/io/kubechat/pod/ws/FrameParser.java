package io.kubechat.pod.ws;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns one text frame into a {@link ClientFrame} or a {@link FrameError}. Pure and stateless, so
 * each bad-input case of the protocol is unit-tested here; session rules (hello first, joined
 * groups, rate) live in {@link WsSession}.
 */
public final class FrameParser {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  public static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** Either a frame or an error, never both. */
  public record Result(ClientFrame frame, FrameError error) {
    static Result ok(ClientFrame f) {
      return new Result(f, null);
    }

    static Result fail(String code, String message, String ref) {
      return new Result(null, new FrameError(code, message, ref));
    }
  }

  private final int maxFrameBytes;
  private final int maxTextBytes;

  public FrameParser(int maxFrameBytes, int maxTextBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.maxTextBytes = maxTextBytes;
  }

  public Result parse(String raw) {
    if (utf8Length(raw, maxFrameBytes) > maxFrameBytes) {
      return Result.fail(ErrorCodes.TOO_LARGE, "frame is over " + maxFrameBytes + " bytes", null);
    }
    JsonObject json;
    try {
      json = new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      return Result.fail(ErrorCodes.BAD_JSON, "frame is not a JSON object", null);
    }
    Object type = json.getValue("type");
    if (type == null) {
      return Result.fail(ErrorCodes.UNKNOWN_TYPE, "field 'type' is missing", null);
    }
    if (!(type instanceof String t)) {
      return Result.fail(ErrorCodes.UNKNOWN_TYPE, "field 'type' must be a string", null);
    }
    try {
      return switch (t) {
        case "hello" -> parseHello(json);
        case "auth" -> Result.ok(new ClientFrame.Auth(string(json, "token", t)));
        case "join" ->
            Result.ok(
                new ClientFrame.Join(
                    name(json, "group", t),
                    optionalSince(json, t),
                    optionalString(json, "epoch", t)));
        case "leave" -> Result.ok(new ClientFrame.Leave(name(json, "group", t)));
        case "send" -> parseSend(json);
        case "ping" -> Result.ok(new ClientFrame.Ping(json.getValue("ref")));
        default ->
            Result.fail(
                ErrorCodes.UNKNOWN_TYPE, "unknown type '" + abbreviate(t) + "'", abbreviate(t));
      };
    } catch (Invalid e) {
      return new Result(null, e.error);
    }
  }

  private static Result parseHello(JsonObject json) {
    String token = optionalString(json, "token", "hello");
    // with a token the user is the token's subject, so naming it again is optional
    String user =
        token != null && json.getValue("user") == null ? null : name(json, "user", "hello");
    return Result.ok(new ClientFrame.Hello(user, name(json, "clientId", "hello"), token));
  }

  private Result parseSend(JsonObject json) {
    // The id is checked first so that every later error can carry it as ref.
    String id = string(json, "id", "send");
    if (!MESSAGE_ID.matcher(id).matches()) {
      throw new Invalid(ErrorCodes.INVALID_ID, "id must match " + MESSAGE_ID.pattern(), "send");
    }
    String group = name(json, "group", id);
    String text = string(json, "text", id);
    if (utf8Length(text, maxTextBytes) > maxTextBytes) {
      return Result.fail(ErrorCodes.TOO_LARGE, "text is over " + maxTextBytes + " bytes", id);
    }
    return Result.ok(new ClientFrame.Send(group, id, text));
  }

  private static String name(JsonObject json, String field, String ref) {
    String v = string(json, field, ref);
    if (!NAME.matcher(v).matches()) {
      throw new Invalid(ErrorCodes.INVALID_NAME, field + " must match " + NAME.pattern(), ref);
    }
    return v;
  }

  private static String string(JsonObject json, String field, String ref) {
    Object v = json.getValue(field);
    if (v == null) {
      throw new Invalid(ErrorCodes.MISSING_FIELD, "field '" + field + "' is missing", ref);
    }
    if (!(v instanceof String s)) {
      throw new Invalid(ErrorCodes.BAD_FIELD, "field '" + field + "' must be a string", ref);
    }
    return s;
  }

  private static String optionalString(JsonObject json, String field, String ref) {
    Object v = json.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw new Invalid(ErrorCodes.BAD_FIELD, "field '" + field + "' must be a string", ref);
    }
    return (String) v;
  }

  private static long optionalSince(JsonObject json, String ref) {
    Object v = json.getValue("since");
    if (v == null) {
      return -1;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
      throw new Invalid(ErrorCodes.BAD_FIELD, "field 'since' must be a non-negative integer", ref);
    }
    return ((Number) v).longValue();
  }

  /** UTF-8 length, computed only when the char count alone cannot decide against {@code limit}. */
  static int utf8Length(String s, int limit) {
    if ((long) s.length() * 3 <= limit) {
      return s.length();
    }
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient FrameError error;

    Invalid(String code, String message, String ref) {
      super(message, null, false, false);
      this.error = new FrameError(code, message, ref);
    }
  }
}
