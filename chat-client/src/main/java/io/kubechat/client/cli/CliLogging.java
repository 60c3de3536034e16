package io.kubechat.client.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The log of the libraries under the CLI (the client, Vert.x and Netty log through
 * java.util.logging): off by default, since the CLI says what happens in its own words; with {@code
 * --verbose}, warnings and above on stderr, one line each.
 */
final class CliLogging {
  private CliLogging() {}

  static void configure(boolean verbose, PrintStream err) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    if (!verbose) {
      root.setLevel(Level.OFF);
      return;
    }
    root.setLevel(Level.WARNING);
    StreamHandler handler =
        new StreamHandler(err, new OneLine()) {
          @Override
          public synchronized void publish(LogRecord logRecord) {
            super.publish(logRecord);
            flush();
          }
        };
    handler.setLevel(Level.WARNING);
    root.addHandler(handler);
  }

  /** {@code [WARNING io.vertx.core.Foo] message}, then the stack trace if any. */
  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord logRecord) {
      String line =
          "["
              + logRecord.getLevel()
              + " "
              + logRecord.getLoggerName()
              + "] "
              + formatMessage(logRecord)
              + System.lineSeparator();
      if (logRecord.getThrown() == null) {
        return line;
      }
      StringWriter trace = new StringWriter();
      logRecord.getThrown().printStackTrace(new PrintWriter(trace));
      return line + trace;
    }
  }
}
