package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Pod-to-pod heartbeat timings (KUBECHAT_HEARTBEAT_*). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HeartbeatSpec {
  @Min(50)
  @Max(60000)
  @JsonPropertyDescription(
      "Milliseconds between a pod's heartbeats, 50 to 60000; unset means the pod's default 500"
          + " (KUBECHAT_HEARTBEAT_INTERVAL_MS).")
  private Integer intervalMillis;

  @Min(50)
  @Max(600000)
  @JsonPropertyDescription(
      "Milliseconds without heartbeat before a member is SUSPECT, DEAD after three times that,"
          + " 50 to 600000 and more than intervalMillis; unset means the pod's default 2000"
          + " (KUBECHAT_HEARTBEAT_TIMEOUT_MS).")
  private Integer timeoutMillis;

  public Integer getIntervalMillis() {
    return intervalMillis;
  }

  public void setIntervalMillis(Integer intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  public Integer getTimeoutMillis() {
    return timeoutMillis;
  }

  public void setTimeoutMillis(Integer timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }
}
