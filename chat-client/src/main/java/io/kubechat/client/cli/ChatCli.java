package io.kubechat.client.cli;

import java.util.Arrays;

/** Entry point of the kubechat-chat command line client: chat, send, tail. */
public final class ChatCli {
  private ChatCli() {}

  public static void main(String[] args) {
    System.exit(run(args, Streams.system()));
  }

  /** Runs a command and returns the process exit code (0 ok, 1 failed, 2 wrong usage). */
  static int run(String[] args, Streams streams) {
    if (args.length > 0 && "mint-token".equals(args[0])) {
      return MintToken.run(Arrays.asList(args).subList(1, args.length), streams);
    }
    if (args.length > 1 && "help".equals(args[0]) && "mint-token".equals(args[1])) {
      streams.out().print(MintToken.HELP);
      return 0;
    }
    CliOptions options;
    try {
      options = CliOptions.parse(Arrays.asList(args), streams.env());
    } catch (UsageException e) {
      streams.err().println("kubechat-chat: " + e.getMessage());
      streams.err().println("Try 'kubechat-chat --help'.");
      return 2;
    }
    if (options.help()) {
      streams.out().print(Help.forCommand(options.command()));
      return 0;
    }
    if (options.version()) {
      streams.out().println("kubechat-chat " + Version.get());
      return 0;
    }
    CliLogging.configure(options.verbose(), streams.err());
    try {
      return switch (options.command()) {
        case "send" -> SendCommand.run(options, streams);
        case "tail" -> TailCommand.run(options, streams);
        default -> new InteractiveChat(options, streams).run();
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      streams.err().println("kubechat-chat: " + e.getMessage());
      return 1;
    }
  }
}
