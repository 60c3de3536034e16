package io.kubechat.client.cli;

/** The --help texts. */
final class Help {
  private Help() {}

  private static final String COMMON =
      """
      Options:
        -s, --server URL     chat pod or Service WebSocket URL (ws://host:8080/ws); repeat it or
                             separate with commas to give several pods, tried in rotation.
                             Default: $KUBECHAT_SERVER, else the local cluster's pods
                             ws://127.0.0.2:8080/ws, ws://127.0.0.3:8080/ws and
                             ws://127.0.0.4:8080/ws
            --ca-file FILE   for wss:// servers: trust only the CA certificate(s) in this PEM
                             file, e.g. the ca.crt of the pods' TLS Secret (default:
                             $KUBECHAT_CA_FILE, else the JVM's default trust store)
        -u, --user NAME      your name, [A-Za-z0-9._-]{1,64} (default: $KUBECHAT_USER, else $USER)
        -g, --group NAME     the group (default: lobby)
            --client-id ID   stable client id (default: a new random one per run)
            --token JWT      the token a pod with authentication needs (default:
                             $KUBECHAT_TOKEN); its subject is your user, so --user may be left
                             out. kubechat-chat mint-token makes one for development
        -v, --verbose        also show the log of the client library (warnings and above)
        -V, --version        print the version and exit
        -h, --help           this help
      """;

  static String forCommand(String command) {
    return switch (command) {
      case "send" ->
          """
          Usage: kubechat-chat send [options] [TEXT...]

          Sends each TEXT (or, with no TEXT or TEXT "-", each non-empty line of stdin) to the
          group, in order, and exits 0 once every message is acknowledged by the cluster.
          Survives pod failures: unacknowledged messages are resent, never doubled.
          Exits 1 when a message is refused or not acknowledged within the timeout, 2 on a wrong
          command line.

            --timeout SECONDS    give up after this long (default: 30)
          """
              + COMMON;
      case "tail" ->
          """
          Usage: kubechat-chat tail [options]

          Prints the messages of the group as they arrive, one per line on stdout
          ("[group #seq] user: text"); connection changes, gaps and resets go to stderr.

            --since N            first replay the messages after seq N still in the history
                                 (--since 0: the whole history)
            --count N            exit 0 after N messages; with --since, also once the history
                                 is printed, even if it held fewer
            --timeout SECONDS    with --count: exit 1 if they did not arrive in time
            --json               print each message as a JSON object
          """
              + COMMON;
      case "mint-token" -> MintToken.HELP;
      default ->
          """
          Usage: kubechat-chat [chat] [options]
                 kubechat-chat send [options] [TEXT...]
                 kubechat-chat tail [options]
                 kubechat-chat mint-token --key-file FILE --sub USER [options]
                 kubechat-chat <command> --help

          Interactive chat: type a line to send it to the current group. Shows messages,
          presence and connection changes; reconnects by itself when a pod dies.
          Commands: /join GROUP, /leave GROUP, /switch GROUP, /who, /help, /quit (or Ctrl-D).
          The --group option may be repeated: all are joined, the first is current.
          """
              + COMMON;
    };
  }
}
