package io.kubechat.client.cli;

import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatListener;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.ConnectionState;
import io.kubechat.client.StateChange;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code kubechat-chat tail}: prints a group's messages as they arrive. */
final class TailCommand {
  private TailCommand() {}

  static int run(CliOptions options, Streams streams) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger printed = new AtomicInteger();
    AtomicInteger exitCode = new AtomicInteger(0);
    ChatListener printer =
        new ChatListener() {
          @Override
          public void onMessage(ChatMessage message) {
            if (options.count() != null && printed.get() >= options.count()) {
              return;
            }
            streams
                .out()
                .println(
                    options.json()
                        ? ConsoleFormat.messageJson(message)
                        : ConsoleFormat.message(message));
            streams.out().flush();
            if (options.count() != null && printed.incrementAndGet() >= options.count()) {
              done.countDown();
            }
          }

          /** With --since and --count, a history shorter than the count is all there is. */
          @Override
          public void onCaughtUp(String group, long seq) {
            if (options.since() != null && options.count() != null) {
              done.countDown();
            }
          }

          @Override
          public void onStateChange(StateChange change) {
            if (change.current() == ConnectionState.FAILED) {
              exitCode.set(1);
              done.countDown();
            }
          }
        };
    try (ChatClient client =
        ClientFactory.connect(
            options, new Console(streams.err(), false, options.servers().size()), printer)) {
      Thread closer = new Thread(done::countDown, "kubechat-tail-stop");
      Runtime.getRuntime().addShutdownHook(closer);
      client
          .join(options.group(), options.since())
          .whenComplete(
              (presence, error) -> {
                if (error != null) {
                  streams
                      .err()
                      .println(
                          "kubechat-chat tail: cannot join "
                              + options.group()
                              + ": "
                              + error.getMessage());
                  exitCode.set(1);
                  done.countDown();
                }
              });
      if (options.count() != null && options.timeout() != null) {
        if (!done.await(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          streams
              .err()
              .println(
                  "kubechat-chat tail: timed out after "
                      + options.timeout().toSeconds()
                      + " s with "
                      + printed.get()
                      + " of "
                      + options.count()
                      + " messages");
          exitCode.set(1);
        }
      } else {
        done.await();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(closer);
      } catch (IllegalStateException e) {
        // shutting down already
      }
      return exitCode.get();
    }
  }
}
