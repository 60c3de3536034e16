package io.kubechat.client.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** The process's streams and environment, replaceable in tests. */
record Streams(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
  static Streams system() {
    return new Streams(System.in, System.out, System.err, System.getenv());
  }
}
