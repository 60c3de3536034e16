package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Raft timings (KUBECHAT_RAFT_* and KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RaftSpec {
  @Min(0.05)
  @Max(60)
  @JsonPropertyDescription(
      "Seconds between Raft leader heartbeats, 0.05 to 60 in steps of 0.05; unset means the pod's"
          + " default 0.25 (KUBECHAT_RAFT_HEARTBEAT_PERIOD_S).")
  private Double heartbeatPeriodSeconds;

  @Min(0.1)
  @Max(300)
  @JsonPropertyDescription(
      "Seconds without leader heartbeat before followers elect a new leader, 0.1 to 300 in steps"
          + " of 0.05 and more than heartbeatPeriodSeconds; unset means the pod's default 1"
          + " (KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S).")
  private Double heartbeatTimeoutSeconds;

  @Min(100)
  @Max(60000)
  @JsonPropertyDescription(
      "Milliseconds a candidate waits for votes before it tries again, 100 to 60000; unset means"
          + " the pod's default 500 (KUBECHAT_RAFT_ELECTION_TIMEOUT_MS).")
  private Integer electionTimeoutMillis;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a member may be DEAD before the leader removes it from the group, 1 to 86400;"
          + " unset means the pod's default 30 (KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S).")
  private Integer memberRemovalTimeoutSeconds;

  public Double getHeartbeatPeriodSeconds() {
    return heartbeatPeriodSeconds;
  }

  public void setHeartbeatPeriodSeconds(Double heartbeatPeriodSeconds) {
    this.heartbeatPeriodSeconds = heartbeatPeriodSeconds;
  }

  public Double getHeartbeatTimeoutSeconds() {
    return heartbeatTimeoutSeconds;
  }

  public void setHeartbeatTimeoutSeconds(Double heartbeatTimeoutSeconds) {
    this.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds;
  }

  public Integer getElectionTimeoutMillis() {
    return electionTimeoutMillis;
  }

  public void setElectionTimeoutMillis(Integer electionTimeoutMillis) {
    this.electionTimeoutMillis = electionTimeoutMillis;
  }

  public Integer getMemberRemovalTimeoutSeconds() {
    return memberRemovalTimeoutSeconds;
  }

  public void setMemberRemovalTimeoutSeconds(Integer memberRemovalTimeoutSeconds) {
    this.memberRemovalTimeoutSeconds = memberRemovalTimeoutSeconds;
  }
}
