package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Client connection settings of the chat pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientSpec {
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds a silent client stays connected, 1 to 3600; unset means the pod's default 30"
          + " (KUBECHAT_CLIENT_IDLE_TIMEOUT_S).")
  private Integer idleTimeoutSeconds;

  @Min(256)
  @Max(16777216)
  @JsonPropertyDescription(
      "Largest accepted WebSocket text frame in bytes, 256 to 16777216; unset means the pod's"
          + " default 65536 (KUBECHAT_MAX_FRAME_BYTES).")
  private Integer maxFrameBytes;

  public Integer getIdleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
    this.idleTimeoutSeconds = idleTimeoutSeconds;
  }

  public Integer getMaxFrameBytes() {
    return maxFrameBytes;
  }

  public void setMaxFrameBytes(Integer maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }
}
