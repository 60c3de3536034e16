package io.kubechat.client.cli;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatError;
import io.kubechat.client.ChatListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code kubechat-chat send}: sends messages and exits 0 only once every one is acknowledged. */
final class SendCommand {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private SendCommand() {}

  static int run(CliOptions options, Streams streams) throws IOException, InterruptedException {
    List<String> texts = texts(options, streams);
    if (texts.isEmpty()) {
      streams.err().println("kubechat-chat send: nothing to send");
      return 2;
    }
    Duration timeout = options.timeout() == null ? DEFAULT_TIMEOUT : options.timeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    LastRefusal lastRefusal = new LastRefusal();
    try (ChatClient client =
        ClientFactory.connect(
            options, new Console(streams.err(), false, options.servers().size()), lastRefusal)) {
      client.join(options.group());
      // All at once: the outbox keeps them in order and resends them after a reconnect.
      List<CompletableFuture<Ack>> acks = new ArrayList<>();
      for (String text : texts) {
        acks.add(client.send(options.group(), text));
      }
      int acked = 0;
      for (CompletableFuture<Ack> ack : acks) {
        long left = Math.max(1, deadline - System.nanoTime());
        try {
          Ack done = ack.get(left, TimeUnit.NANOSECONDS);
          acked++;
          streams.err().println("-- acknowledged " + done.id() + " at seq " + done.seq());
        } catch (TimeoutException e) {
          streams
              .err()
              .println(
                  "kubechat-chat send: timed out after "
                      + timeout.toSeconds()
                      + " s: "
                      + (texts.size() - acked)
                      + " of "
                      + texts.size()
                      + " messages not acknowledged"
                      + lastRefusal.describe());
          return 1;
        } catch (ExecutionException e) {
          streams
              .err()
              .println(
                  "kubechat-chat send: message "
                      + (acked + 1)
                      + " failed: "
                      + e.getCause().getMessage());
          return 1;
        }
      }
      return 0;
    }
  }

  /** The last retryable refusal of one of our messages, to say why they were not acknowledged. */
  private static final class LastRefusal implements ChatListener {
    private volatile ChatError last;

    @Override
    public void onSendRefused(ChatError error) {
      last = error;
    }

    String describe() {
      ChatError error = last;
      if (error == null) {
        return "";
      }
      String why =
          "UNAVAILABLE".equals(error.code())
              ? "the cluster has no quorum (UNAVAILABLE"
              : "the server refused them for now (" + error.code();
      return "; last answer: " + why + ": " + error.message() + "), the client kept retrying";
    }
  }

  private static List<String> texts(CliOptions options, Streams streams) throws IOException {
    List<String> texts = new ArrayList<>();
    boolean fromStdin = options.texts().isEmpty();
    for (String text : options.texts()) {
      if ("-".equals(text)) {
        fromStdin = true;
      } else {
        texts.add(text);
      }
    }
    if (fromStdin) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(streams.in(), StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          texts.add(line);
        }
      }
    }
    return texts;
  }
}
