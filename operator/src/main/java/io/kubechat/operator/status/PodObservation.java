package io.kubechat.operator.status;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The latest poll of one pod: its report when the poll succeeded, otherwise why it failed.
 *
 * @param pod pod name
 * @param address host:port polled
 * @param report the last successful report (kept when a later poll fails, so that the pod's
 *     incarnation stays known), empty if none ever succeeded
 * @param error why the last poll failed, null when it succeeded
 * @param polledAt when the last poll finished
 */
public record PodObservation(
    String pod, String address, Optional<PodStatusReport> report, String error, Instant polledAt) {

  public static PodObservation ok(String pod, String address, PodStatusReport r, Instant at) {
    return new PodObservation(pod, address, Optional.of(r), null, at);
  }

  public static PodObservation failed(
      String pod, String address, Optional<PodStatusReport> previous, String error, Instant at) {
    return new PodObservation(pod, address, previous, error, at);
  }

  /** The last poll succeeded. */
  public boolean reachable() {
    return error == null && report.isPresent();
  }

  /** The report of the last poll, only if it succeeded. */
  public Optional<PodStatusReport> current() {
    return reachable() ? report : Optional.empty();
  }

  /**
   * What matters for decisions: a change here triggers a reconcile. Moving counters
   * (lastSeenMillisAgo, clients, commitIndex) are left out, as they are from the ChatCluster
   * status, so that an idle cluster is neither reconciled nor rewritten for them.
   */
  public String fingerprint() {
    if (!reachable()) {
      return pod + "@" + address + ":unreachable";
    }
    PodStatusReport r = report.get();
    StringBuilder sb =
        new StringBuilder()
            .append(pod)
            .append('@')
            .append(address)
            .append(':')
            .append(r.incarnation())
            .append(r.ready())
            .append(r.role())
            .append(r.term())
            .append(r.leader());
    r.members().stream()
        .sorted(Comparator.comparing(PodStatusReport.Member::node))
        .forEach(m -> sb.append('|').append(m.node()).append(m.incarnation()).append(m.state()));
    return sb.toString();
  }
}
