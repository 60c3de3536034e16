package io.kubechat.client.cli;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatListener;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.Presence;
import io.kubechat.client.protocol.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code kubechat-chat chat}: reads lines from stdin and sends them; prints what happens. */
final class InteractiveChat {
  private static final Duration ACK_GRACE = Duration.ofSeconds(10);
  private final CliOptions options;
  private final Streams streams;
  private final Map<String, List<String>> members = new LinkedHashMap<>();
  private final List<CompletableFuture<Ack>> sent = new ArrayList<>();
  private String current;

  InteractiveChat(CliOptions options, Streams streams) {
    this.options = options;
    this.streams = streams;
    this.current = options.group();
  }

  int run() throws IOException {
    ChatListener printer =
        new ChatListener() {
          @Override
          public void onMessage(ChatMessage message) {
            streams.out().println(ConsoleFormat.message(message));
          }

          @Override
          public void onPresence(Presence presence) {
            synchronized (members) {
              members.put(presence.group(), presence.members());
            }
          }
        };
    try (ChatClient client =
        ClientFactory.connect(
            options, new Console(streams.out(), true, options.servers().size()), printer)) {
      for (String group : options.groups()) {
        join(client, group);
      }
      streams
          .out()
          .println(
              "-- "
                  + (options.user() == null ? "you" : options.user())
                  + " in "
                  + current
                  + ": type a message, /help for commands");
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(streams.in(), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!handle(client, line.strip())) {
          break;
        }
      }
      awaitAcks();
      return 0;
    }
  }

  /** Returns false when the user wants to quit. */
  private boolean handle(ChatClient client, String line) {
    if (line.isEmpty()) {
      return true;
    }
    if (!line.startsWith("/")) {
      String group = current;
      sent.removeIf(CompletableFuture::isDone);
      sent.add(client.send(group, line));
      sent.get(sent.size() - 1)
          .whenComplete(
              (ack, error) -> {
                if (error != null) {
                  streams.out().println("!! not sent to " + group + ": " + error.getMessage());
                }
              });
      return true;
    }
    String[] parts = line.split("\\s+", 2);
    String argument = parts.length > 1 ? parts[1].strip() : "";
    switch (parts[0]) {
      case "/quit", "/exit" -> {
        return false;
      }
      case "/join" -> {
        if (validGroup(argument)) {
          join(client, argument);
          current = argument;
        }
      }
      case "/leave" -> {
        if (validGroup(argument)) {
          client.leave(argument).thenRun(() -> streams.out().println("-- left " + argument));
        }
      }
      case "/switch" -> {
        if (validGroup(argument)) {
          current = argument;
          streams.out().println("-- now sending to " + current);
        }
      }
      case "/who" -> {
        synchronized (members) {
          streams
              .out()
              .println(
                  "-- members of "
                      + current
                      + ": "
                      + String.join(", ", members.getOrDefault(current, List.of())));
        }
      }
      case "/help" ->
          streams
              .out()
              .println(
                  "-- /join GROUP, /leave GROUP, /switch GROUP, /who, /quit; anything else is sent"
                      + " to "
                      + current);
      default -> streams.out().println("!! unknown command " + parts[0] + " (try /help)");
    }
    return true;
  }

  /** On quit, give what was typed a moment to be acknowledged instead of dropping it. */
  private void awaitAcks() {
    if (sent.stream().allMatch(CompletableFuture::isDone)) {
      return;
    }
    streams.out().println("-- waiting for the last messages to be acknowledged");
    try {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
          .get(ACK_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      streams.out().println("!! some messages were not acknowledged");
    }
  }

  private boolean validGroup(String group) {
    if (!Names.isName(group)) {
      streams.out().println("!! a group name matches [A-Za-z0-9._-]{1,64}");
      return false;
    }
    return true;
  }

  private void join(ChatClient client, String group) {
    client
        .join(group)
        .whenComplete(
            (presence, error) -> {
              if (error != null) {
                streams.out().println("!! cannot join " + group + ": " + error.getMessage());
              }
            });
  }
}
