package io.kubechat.pod.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** What a pod's metrics and log say about how it took an attack. */
public final class PodHealth {
  private PodHealth() {}

  /**
   * Bytes used in the old generation ({@code jvm_memory_used_bytes}, pool "Tenured Gen" of the
   * serial collector the test pods run with): where a large buffer lands. -1 if unknown.
   */
  public static long oldGenBytes(String ip) {
    Http.Response r = Http.get(ip, TestCluster.ADMIN_PORT, "/metrics");
    if (r.status() != 200) {
      return -1;
    }
    return r.body()
        .lines()
        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("Tenured Gen"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The value of counter {@code name} with {@code tag} in the pod's /metrics (0 if absent). */
  public static double counter(String ip, String name, String tag) {
    Http.Response r = Http.get(ip, TestCluster.ADMIN_PORT, "/metrics");
    return r.body()
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(tag))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The pod's log lines so far. */
  public static List<String> logLines(PodProcess p) {
    try {
      return Files.readAllLines(p.logFile().toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of stack traces ({@code \tat ...}) among {@code lines}. */
  public static long stackTraceLines(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("\tat ")).count();
  }
}
