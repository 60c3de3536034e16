package io.kubechat.pod.http;

import io.vertx.core.json.JsonObject;

/** Supplies what the HTTP endpoints report; implemented by the pod wiring. */
public interface StatusSource {
  /** The /status document (docs/architecture.md lists its fields). */
  JsonObject status();

  /** Null when ready; otherwise why not (for /readyz and /status). */
  String notReadyReason();

  /** Prometheus text for /metrics. */
  String metrics();
}
