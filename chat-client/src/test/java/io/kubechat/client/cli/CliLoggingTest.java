package io.kubechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CliLoggingTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @AfterEach
  void restoreLogging() throws Exception {
    LogManager.getLogManager().readConfiguration();
  }

  private static final String LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private static void libraryWarns() {
    System.getLogger(LOGGER)
        .log(System.Logger.Level.WARNING, "Thread vert.x-eventloop-thread-0 has been blocked");
  }

  @Test
  void libraryWarningsAreSilentByDefault() {
    CliLogging.configure(false, err);
    libraryWarns();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void verboseShowsThemOnStderrOneLineEach() {
    CliLogging.configure(true, err);
    libraryWarns();
    System.getLogger("netty").log(System.Logger.Level.INFO, "routine");
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "[WARNING "
                + LOGGER
                + "] Thread vert.x-eventloop-thread-0 has been blocked"
                + System.lineSeparator());
  }
}
