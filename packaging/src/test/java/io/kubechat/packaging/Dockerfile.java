package io.kubechat.packaging;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of one of this repository's Dockerfiles that decide what the image is, parsed
 * from the file (continuation lines joined, comments dropped).
 *
 * @param copies one entry per COPY: its sources, then its destination last
 */
record Dockerfile(
    String from,
    String user,
    String workdir,
    List<String> entrypoint,
    List<Integer> exposedPorts,
    Map<String, String> env,
    Map<String, String> labels,
    List<List<String>> copies) {
  private static final Pattern INSTRUCTION = Pattern.compile("^([A-Z]+)\\s+(.*)$");
  private static final Pattern PAIR = Pattern.compile("([\\w.-]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  static Dockerfile of(String module) {
    return parse(Repo.read(Repo.ROOT.resolve(module).resolve("Dockerfile")));
  }

  static Dockerfile parse(String text) {
    String from = null;
    String user = null;
    String workdir = null;
    List<String> entrypoint = null;
    List<Integer> ports = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    List<List<String>> copies = new ArrayList<>();
    for (String line : text.replaceAll("\\\\\\R", " ").split("\\R")) {
      Matcher m = INSTRUCTION.matcher(line.strip());
      if (line.strip().startsWith("#") || !m.matches()) {
        continue;
      }
      String args = m.group(2).strip();
      switch (m.group(1)) {
        case "FROM" -> from = args;
        case "USER" -> user = args;
        case "WORKDIR" -> workdir = args;
        case "ENTRYPOINT" -> entrypoint = List.of(Serialization.unmarshal(args, String[].class));
        case "EXPOSE" ->
            Arrays.stream(args.split("\\s+")).map(Integer::valueOf).forEach(ports::add);
        case "ENV" -> env.putAll(pairs(args));
        case "LABEL" -> labels.putAll(pairs(args));
        case "COPY", "ADD" -> copies.add(List.of(args.split("\\s+")));
        default -> {}
      }
    }
    return new Dockerfile(from, user, workdir, entrypoint, ports, env, labels, copies);
  }

  /** The file the entry point runs: the last argument of {@code java -jar <jar>}. */
  Path jar() {
    return Path.of(entrypoint.get(entrypoint.size() - 1));
  }

  private static Map<String, String> pairs(String args) {
    Map<String, String> pairs = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(args);
    while (m.find()) {
      String value = m.group(2);
      if (value.startsWith("\"")) {
        value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
      }
      pairs.put(m.group(1), value);
    }
    return pairs;
  }
}
