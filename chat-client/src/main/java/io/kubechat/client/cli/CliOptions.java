package io.kubechat.client.cli;

import io.kubechat.client.protocol.Names;
import io.kubechat.client.tls.ClientTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parsed command line of kubechat-chat. */
record CliOptions(
    String command,
    List<String> servers,
    String user,
    List<String> groups,
    String clientId,
    Long since,
    Integer count,
    Duration timeout,
    boolean json,
    boolean help,
    List<String> texts,
    boolean verbose,
    boolean version,
    String token,
    String caFile) {

  /** Never the token (records print every component). */
  @Override
  public String toString() {
    return "CliOptions[" + command + ", " + servers + ", " + user + ", " + groups + "]";
  }

  static final String DEFAULT_SERVERS =
      "ws://127.0.0.2:8080/ws,ws://127.0.0.3:8080/ws,ws://127.0.0.4:8080/ws";
  static final List<String> COMMANDS = List.of("chat", "send", "tail");

  String group() {
    return groups.get(0);
  }

  static CliOptions parse(List<String> args, Map<String, String> env) throws UsageException {
    String command = "chat";
    int start = 0;
    if (!args.isEmpty() && (COMMANDS.contains(args.get(0)) || "help".equals(args.get(0)))) {
      command = args.get(0);
      start = 1;
    }
    boolean help = "help".equals(command);
    if (help) {
      command = args.size() > 1 && COMMANDS.contains(args.get(1)) ? args.get(1) : "chat";
      start = args.size();
    }
    List<String> servers = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    String user = null;
    String clientId = null;
    String token = null;
    String caFile = null;
    Long since = null;
    Integer count = null;
    Duration timeout = null;
    boolean json = false;
    boolean verbose = false;
    boolean version = false;
    boolean onlyTexts = false;
    for (int i = start; i < args.size(); i++) {
      String arg = args.get(i);
      if (onlyTexts || !arg.startsWith("-") || "-".equals(arg)) {
        texts.add(arg);
        continue;
      }
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (name) {
        case "--" -> onlyTexts = true;
        case "-h", "--help" -> help = true;
        case "--json" -> json = true;
        case "-v", "--verbose" -> verbose = true;
        case "-V", "--version" -> version = true;
        case "-s", "--server" -> {
          addServers(servers, inline != null ? inline : value(args, ++i, name));
        }
        case "-u", "--user" -> user = inline != null ? inline : value(args, ++i, name);
        case "-g", "--group" -> groups.add(inline != null ? inline : value(args, ++i, name));
        case "--client-id" -> clientId = inline != null ? inline : value(args, ++i, name);
        case "--ca-file" -> caFile = inline != null ? inline : value(args, ++i, name);
        case "--token" -> token = inline != null ? inline : value(args, ++i, name);
        case "--since" -> since = number(name, inline != null ? inline : value(args, ++i, name));
        case "--count" -> {
          long n = number(name, inline != null ? inline : value(args, ++i, name));
          if (n < 1 || n > Integer.MAX_VALUE) {
            throw new UsageException("--count must be at least 1");
          }
          count = (int) n;
        }
        case "--timeout" -> {
          long seconds = number(name, inline != null ? inline : value(args, ++i, name));
          if (seconds < 1) {
            throw new UsageException("--timeout must be at least 1 second");
          }
          timeout = Duration.ofSeconds(seconds);
        }
        default -> throw new UsageException("unknown option " + arg);
      }
    }
    if (help || version) {
      return new CliOptions(
          command, servers, user, groups, clientId, since, count, timeout, json, help, texts,
          verbose, version, null, null);
    }
    if (servers.isEmpty()) {
      addServers(servers, env.getOrDefault("KUBECHAT_SERVER", DEFAULT_SERVERS));
    }
    for (String server : servers) {
      if (!server.startsWith("ws://") && !server.startsWith("wss://")) {
        throw new UsageException("--server must be a ws:// or wss:// URL: " + server);
      }
    }
    if (caFile == null) {
      caFile = env.get("KUBECHAT_CA_FILE");
    }
    if (caFile != null && caFile.isBlank()) {
      throw new UsageException("--ca-file is empty");
    }
    if (caFile != null) {
      try {
        ClientTrust.caFile(Path.of(caFile.trim())); // a wrong file is a usage error, not a retry
      } catch (IllegalArgumentException e) { // InvalidPathException included
        throw new UsageException("--ca-file: " + e.getMessage());
      }
    }
    if (token == null) {
      token = env.get("KUBECHAT_TOKEN");
    }
    if (token != null && token.isBlank()) {
      throw new UsageException("--token is empty");
    }
    if (user == null) {
      user = env.get("KUBECHAT_USER");
    }
    if (user == null && token == null) {
      user = sanitize(env.getOrDefault("USER", "guest"));
    }
    // with a token and no --user the pod takes the token's subject
    if (user != null && !Names.isName(user)) {
      throw new UsageException("--user must match [A-Za-z0-9._-]{1,64}: " + user);
    }
    if (groups.isEmpty()) {
      groups.add("lobby");
    }
    for (String group : groups) {
      if (!Names.isName(group)) {
        throw new UsageException("--group must match [A-Za-z0-9._-]{1,64}: " + group);
      }
    }
    if (clientId != null && !Names.isName(clientId)) {
      throw new UsageException("--client-id must match [A-Za-z0-9._-]{1,64}: " + clientId);
    }
    if (since != null && since < 0) {
      throw new UsageException("--since must be >= 0");
    }
    if (!"send".equals(command) && !texts.isEmpty()) {
      throw new UsageException("unexpected argument " + texts.get(0));
    }
    if (!"tail".equals(command) && (since != null || count != null)) {
      throw new UsageException("--since and --count are options of tail");
    }
    if ("chat".equals(command) && json) {
      throw new UsageException("--json is an option of tail");
    }
    return new CliOptions(
        command,
        servers,
        user,
        groups,
        clientId,
        since,
        count,
        timeout,
        json,
        false,
        texts,
        verbose,
        false,
        token == null ? null : token.trim(),
        caFile == null ? null : caFile.trim());
  }

  private static String value(List<String> args, int index, String option) throws UsageException {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  private static long number(String option, String value) throws UsageException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a number, got " + value);
    }
  }

  private static String sanitize(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "");
    if (cleaned.isEmpty()) {
      return "guest";
    }
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }

  /** Adds the comma-separated server URLs of {@code value}, trimmed, skipping empty ones. */
  private static void addServers(List<String> into, String value) {
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        into.add(part.trim());
      }
    }
  }
}
