package io.kubechat.client.cli;

/** A wrong command line: the message says what, the CLI exits with code 2. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
