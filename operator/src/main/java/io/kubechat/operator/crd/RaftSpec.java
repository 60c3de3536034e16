package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Raft timings (KUBECHAT_RAFT_* and KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RaftSpec {
  @Min(1)
  @JsonPropertyDescription("Seconds between leader heartbeats (KUBECHAT_RAFT_HEARTBEAT_PERIOD_S).")
  private Integer heartbeatPeriodSeconds;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds without leader heartbeat before followers elect a new leader"
          + " (KUBECHAT_RAFT_HEARTBEAT_TIMEOUT_S). Must exceed heartbeatPeriodSeconds.")
  private Integer heartbeatTimeoutSeconds;

  @Min(10)
  @JsonPropertyDescription("Leader election timeout in ms (KUBECHAT_RAFT_ELECTION_TIMEOUT_MS).")
  private Integer electionTimeoutMillis;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds a member may be DEAD before the leader removes it from the group"
          + " (KUBECHAT_MEMBER_REMOVAL_TIMEOUT_S).")
  private Integer memberRemovalTimeoutSeconds;

  public Integer getHeartbeatPeriodSeconds() {
    return heartbeatPeriodSeconds;
  }

  public void setHeartbeatPeriodSeconds(Integer heartbeatPeriodSeconds) {
    this.heartbeatPeriodSeconds = heartbeatPeriodSeconds;
  }

  public Integer getHeartbeatTimeoutSeconds() {
    return heartbeatTimeoutSeconds;
  }

  public void setHeartbeatTimeoutSeconds(Integer heartbeatTimeoutSeconds) {
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
