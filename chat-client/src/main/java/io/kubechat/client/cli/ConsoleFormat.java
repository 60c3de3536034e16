package io.kubechat.client.cli;

import io.kubechat.client.ChatError;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.Gap;
import io.kubechat.client.Presence;
import io.kubechat.client.Reset;
import io.kubechat.client.StateChange;
import io.vertx.core.json.JsonObject;

/** How the CLI shows what happens: one line per event. */
final class ConsoleFormat {
  /** Shown once when the only server given cannot be reached: nothing else can be tried. */
  static final String ONE_SERVER_HINT =
      "-- only one server was given, so this client can only wait for it to come back; to fail"
          + " over, give several: --server ws://pod-1:8080/ws,ws://pod-2:8080/ws (or repeat"
          + " --server), or a Service address that reaches every pod";

  private ConsoleFormat() {}

  static String message(ChatMessage m) {
    return "[" + m.group() + " #" + m.seq() + "] " + m.from() + ": " + m.text();
  }

  static String messageJson(ChatMessage m) {
    return new JsonObject()
        .put("group", m.group())
        .put("seq", m.seq())
        .put("epoch", m.epoch())
        .put("from", m.from())
        .put("text", m.text())
        .put("id", m.id())
        .put("ts", m.ts())
        .put("node", m.node())
        .encode();
  }

  static String presence(Presence p) {
    String who = p.self() ? "you (" + p.user() + ")" : p.user();
    if (p.kind() == Presence.Kind.JOINED) {
      return "* "
          + who
          + " joined "
          + p.group()
          + " (members: "
          + String.join(", ", p.members())
          + ")"
          + (p.local() ? " [no quorum: this pod's view; messages wait until it is back]" : "");
    }
    return "* " + who + " left " + p.group() + (p.reason() == null ? "" : " (" + p.reason() + ")");
  }

  static String state(StateChange change) {
    return switch (change.current()) {
      case CONNECTING -> "-- connecting";
      case CONNECTED ->
          "-- connected to "
              + change.endpoint()
              + (change.server() == null || change.server().node() == null
                  ? ""
                  : " (pod " + change.server().node() + ")");
      case RECONNECTING ->
          (change.reached()
                  ? "-- disconnected from " + change.endpoint() + " (" + change.reason() + ")"
                  : "-- could not connect to " + change.endpoint() + " (" + change.reason() + ")")
              + "; reconnecting in "
              + change.retryIn().toMillis()
              + " ms";
      case FAILED -> "-- giving up: " + change.reason();
      case CLOSED -> "-- closed";
      case NEW -> "-- not started";
    };
  }

  static String gap(Gap gap) {
    return "-- missed messages "
        + gap.from()
        + ".."
        + gap.to()
        + " of "
        + gap.group()
        + ": no longer in the history";
  }

  static String reset(Reset reset) {
    return "-- the history of "
        + reset.group()
        + " was lost (new epoch "
        + reset.epoch()
        + "); numbering restarts";
  }

  static String error(ChatError error) {
    return "!! " + error.code() + ": " + error.message();
  }
}
