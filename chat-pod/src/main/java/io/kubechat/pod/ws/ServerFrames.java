package io.kubechat.pod.ws;

import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.SendResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Builds the server-to-client frames of docs/protocol.md. */
final class ServerFrames {
  private ServerFrames() {}

  static JsonObject welcome(
      String node,
      String incarnation,
      String version,
      String user,
      String clientId,
      int maxFrameBytes,
      int maxTextBytes,
      int maxGroups,
      long idleTimeoutMs,
      long validUntilMs) {
    JsonObject f =
        new JsonObject()
            .put("type", "welcome")
            .put("node", node)
            .put("incarnation", incarnation)
            .put("user", user)
            .put("clientId", clientId)
            .put("version", version)
            .put(
                "limits",
                new JsonObject()
                    .put("maxFrameBytes", maxFrameBytes)
                    .put("maxTextBytes", maxTextBytes)
                    .put("maxGroups", maxGroups))
            .put("idleTimeoutMs", idleTimeoutMs);
    // when the token runs out (skew included): re-authenticate before, see auth/reauth
    return validUntilMs == Long.MAX_VALUE ? f : f.put("validUntil", validUntilMs);
  }

  static JsonObject joinedSelf(JoinResult r, String user, String clientId) {
    JsonObject f =
        new JsonObject()
            .put("type", "joined")
            .put("group", r.group())
            .put("user", user)
            .put("clientId", clientId)
            .put("members", new JsonArray(r.members()))
            .put("epoch", r.epoch())
            .put("seq", r.seq())
            .put("self", true);
    return r.local() ? f.put("local", true) : f;
  }

  /** Someone else joined or left ({@code self: false}). */
  static JsonObject presence(ChatEvent.Presence p) {
    JsonObject f =
        new JsonObject()
            .put("type", p.joined() ? "joined" : "left")
            .put("group", p.group())
            .put("user", p.user())
            .put("clientId", p.clientId())
            .put("members", new JsonArray(p.members()));
    if (!p.joined()) {
      f.put("reason", p.reason());
    }
    return f.put("self", false);
  }

  static JsonObject leftSelf(
      String group, String user, String clientId, List<String> members, boolean local) {
    JsonObject f =
        new JsonObject()
            .put("type", "left")
            .put("group", group)
            .put("user", user)
            .put("clientId", clientId)
            .put("members", new JsonArray(members))
            .put("reason", "leave")
            .put("self", true);
    return local ? f.put("local", true) : f;
  }

  static JsonObject message(ChatMessage m) {
    return new JsonObject()
        .put("type", "message")
        .put("group", m.group())
        .put("from", m.from())
        .put("clientId", m.clientId())
        .put("text", m.text())
        .put("id", m.id())
        .put("ts", m.ts())
        .put("node", m.node())
        .put("seq", m.seq())
        .put("epoch", m.epoch());
  }

  static JsonObject ack(SendResult r) {
    return new JsonObject()
        .put("type", "ack")
        .put("id", r.id())
        .put("group", r.group())
        .put("seq", r.seq())
        .put("epoch", r.epoch())
        .put("ts", r.ts());
  }

  static JsonObject gap(String group, long from, long to) {
    return new JsonObject().put("type", "gap").put("group", group).put("from", from).put("to", to);
  }

  static JsonObject reset(String group, String epoch) {
    return new JsonObject().put("type", "reset").put("group", group).put("epoch", epoch);
  }

  /** The new token was accepted; {@code validUntilMs} is when this one runs out, skew included. */
  static JsonObject authed(String user, long validUntilMs) {
    return new JsonObject().put("type", "authed").put("user", user).put("validUntil", validUntilMs);
  }

  /** The token ran out: send {@code auth} with a new one within {@code graceMs}, else 4006. */
  static JsonObject reauth(long graceMs) {
    return new JsonObject().put("type", "reauth").put("graceMs", graceMs);
  }

  static JsonObject pong(Object ref) {
    JsonObject f = new JsonObject().put("type", "pong");
    return ref == null ? f : f.put("ref", ref);
  }

  static JsonObject error(FrameError e) {
    return new JsonObject()
        .put("type", "error")
        .put("code", e.code())
        .put("message", e.message())
        .put("ref", e.ref())
        .put("retryable", e.retryable());
  }
}
