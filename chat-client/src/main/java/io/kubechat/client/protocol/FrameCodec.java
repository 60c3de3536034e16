package io.kubechat.client.protocol;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatError;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.Gap;
import io.kubechat.client.Presence;
import io.kubechat.client.Reset;
import io.kubechat.client.ServerInfo;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes client frames and decodes server frames (docs/protocol.md). Unknown fields are ignored;
 * absent optional fields get neutral values (0, null).
 */
public final class FrameCodec {

  /** {@code user} is left out when null (the token names it), {@code token} when null. */
  public String hello(String user, String clientId, String token) {
    JsonObject json = new JsonObject().put("type", "hello").put("clientId", clientId);
    if (user != null) {
      json.put("user", user);
    }
    if (token != null) {
      json.put("token", token);
    }
    return json.encode();
  }

  /** In-band re-authentication with a new token. */
  public String auth(String token) {
    return new JsonObject().put("type", "auth").put("token", token).encode();
  }

  /** {@code since} and {@code epoch} are left out when null. */
  public String join(String group, Long since, String epoch) {
    JsonObject json = new JsonObject().put("type", "join").put("group", group);
    if (since != null) {
      json.put("since", since);
    }
    if (epoch != null) {
      json.put("epoch", epoch);
    }
    return json.encode();
  }

  public String leave(String group) {
    return new JsonObject().put("type", "leave").put("group", group).encode();
  }

  public String send(String group, String id, String text) {
    return new JsonObject()
        .put("type", "send")
        .put("group", group)
        .put("id", id)
        .put("text", text)
        .encode();
  }

  public String ping(String ref) {
    return new JsonObject().put("type", "ping").put("ref", ref).encode();
  }

  public ServerFrame decode(String text) throws FrameDecodeException {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new FrameDecodeException("BAD_FRAME", "not a JSON object: " + abbreviate(text));
    }
    try {
      return decode(json);
    } catch (ClassCastException e) {
      throw new FrameDecodeException(
          "BAD_FRAME", "a field has the wrong type: " + abbreviate(text));
    }
  }

  private ServerFrame decode(JsonObject json) throws FrameDecodeException {
    String type = str(json, "type", null);
    if (type == null) {
      throw new FrameDecodeException("BAD_FRAME", "no type: " + abbreviate(json.encode()));
    }
    return switch (type) {
      case "welcome" -> welcome(json);
      case "authed" -> new ServerFrame.Authed(validUntil(json));
      case "reauth" -> new ServerFrame.Reauth(num(json, "graceMs"));
      case "joined" ->
          new ServerFrame.Joined(
              presence(Presence.Kind.JOINED, json), str(json, "epoch", null), num(json, "seq"));
      case "left" -> new ServerFrame.Left(presence(Presence.Kind.LEFT, json));
      case "message" ->
          new ServerFrame.Message(
              new ChatMessage(
                  require(json, "group"),
                  str(json, "from", null),
                  str(json, "text", ""),
                  str(json, "id", null),
                  num(json, "ts"),
                  str(json, "node", null),
                  num(json, "seq"),
                  str(json, "epoch", null)));
      case "ack" ->
          new ServerFrame.AckFrame(
              new Ack(
                  require(json, "id"),
                  str(json, "group", null),
                  num(json, "seq"),
                  str(json, "epoch", null),
                  num(json, "ts")));
      case "gap" ->
          new ServerFrame.GapFrame(
              new Gap(require(json, "group"), num(json, "from"), num(json, "to")));
      case "reset" ->
          new ServerFrame.ResetFrame(new Reset(require(json, "group"), str(json, "epoch", null)));
      case "pong" ->
          new ServerFrame.Pong(
              json.getValue("ref") == null ? null : String.valueOf(json.getValue("ref")));
      case "error" ->
          new ServerFrame.Error(
              new ChatError(
                  str(json, "code", "UNKNOWN"),
                  str(json, "message", ""),
                  json.getValue("ref") == null ? null : String.valueOf(json.getValue("ref")),
                  json.getBoolean("retryable", false),
                  false));
      default -> throw new FrameDecodeException("UNKNOWN_FRAME", "unknown frame type: " + type);
    };
  }

  private static ServerFrame.Welcome welcome(JsonObject json) throws FrameDecodeException {
    JsonObject limits = json.getJsonObject("limits", new JsonObject());
    return new ServerFrame.Welcome(
        new ServerInfo(
            str(json, "node", null),
            str(json, "incarnation", null),
            str(json, "version", null),
            limits.getInteger("maxFrameBytes", 0),
            limits.getInteger("maxTextBytes", 0),
            limits.getInteger("maxGroups", 0),
            num(json, "idleTimeoutMs")),
        validUntil(json));
  }

  /** When the token runs out (epoch ms), {@link Long#MAX_VALUE} when the frame does not say. */
  private static long validUntil(JsonObject json) throws FrameDecodeException {
    return json.getValue("validUntil") == null ? Long.MAX_VALUE : num(json, "validUntil");
  }

  private static Presence presence(Presence.Kind kind, JsonObject json)
      throws FrameDecodeException {
    JsonArray array = json.getJsonArray("members", new JsonArray());
    List<String> members = new ArrayList<>(array.size());
    for (Object member : array) {
      if (member != null) {
        members.add(String.valueOf(member));
      }
    }
    return new Presence(
        kind,
        require(json, "group"),
        str(json, "user", null),
        str(json, "clientId", null),
        members,
        str(json, "reason", null),
        json.getBoolean("self", false),
        json.getBoolean("local", false));
  }

  private static String require(JsonObject json, String field) throws FrameDecodeException {
    String value = str(json, field, null);
    if (value == null) {
      throw new FrameDecodeException("BAD_FRAME", str(json, "type", null) + " without " + field);
    }
    return value;
  }

  /** A string field, strictly: a number where a string belongs is a bad frame. */
  private static String str(JsonObject json, String field, String absent)
      throws FrameDecodeException {
    Object value = json.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof String text)) {
      throw new FrameDecodeException("BAD_FRAME", field + " is not a string");
    }
    return text;
  }

  private static long num(JsonObject json, String field) throws FrameDecodeException {
    Object value = json.getValue(field);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number)) {
      throw new FrameDecodeException("BAD_FRAME", field + " is not a number");
    }
    return number.longValue();
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
