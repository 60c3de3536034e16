package io.kubechat.pod.config;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code KUBECHAT_*} variables a pod does not read, so that a misspelled setting is not ignored
 * in silence: each gets a warning at start with the nearest name the pod knows.
 */
public final class UnknownVariables {
  /** Read by the CLI, local-cluster.sh or the operator, which may share a shell with a pod. */
  private static final Set<String> OTHERS =
      Set.of(
          "KUBECHAT_SERVER",
          "KUBECHAT_USER",
          "KUBECHAT_TOKEN",
          "KUBECHAT_CA_FILE",
          "KUBECHAT_LOCAL_BASE");

  private static final String OPERATOR_PREFIX = "KUBECHAT_OPERATOR_";

  private UnknownVariables() {}

  /** One warning per unknown variable of {@code env}, sorted by name. */
  public static List<String> warnings(Map<String, String> env) {
    List<String> known = EnvConfigLoader.SETTINGS.stream().map(Setting::env).toList();
    return env.keySet().stream()
        .filter(k -> k.startsWith("KUBECHAT_") && !known.contains(k))
        .filter(k -> !OTHERS.contains(k) && !k.startsWith(OPERATOR_PREFIX))
        .sorted()
        .map(k -> warning(k, known))
        .toList();
  }

  private static String warning(String unknown, List<String> known) {
    String nearest =
        known.stream().min(Comparator.comparingInt(k -> distance(unknown, k))).orElseThrow();
    return "unknown variable "
        + unknown
        + " is ignored"
        + (distance(unknown, nearest) <= Math.max(2, unknown.length() / 5)
            ? "; did you mean " + nearest + "?"
            : "")
        + " (see --help)";
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
