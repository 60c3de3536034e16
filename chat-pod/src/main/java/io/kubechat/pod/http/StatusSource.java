package io.kubechat.pod.http;

import io.kubechat.pod.chat.RecoveryReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Supplies what the HTTP endpoints report, and their admin action; implemented by the pod wiring.
 */
public interface StatusSource {
  /** The /status document (docs/architecture.md lists its fields). */
  JsonObject status();

  /** Null when ready; otherwise why not (for /readyz and /status). */
  String notReadyReason();

  /** Prometheus text for /metrics. */
  String metrics();

  /** Re-forms the lost quorum from this pod (POST /admin/recover-quorum, see docs/consensus.md). */
  Future<RecoveryReport> recoverQuorum();
}
