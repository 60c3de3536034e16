package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One pod of the cluster as the operator sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberStatus {
  @JsonPropertyDescription("Pod name.")
  private String pod;

  @JsonPropertyDescription("Role the pod reports: LEADER, FOLLOWER, LEARNER, CANDIDATE or NONE.")
  private String role;

  @JsonPropertyDescription("The pod's Ready condition.")
  private Boolean ready;

  @JsonPropertyDescription(
      "The operator reaches the pod's /status, it is ready and no other member reports it"
          + " SUSPECT or DEAD.")
  private Boolean healthy;

  @JsonPropertyDescription(
      "Worst state other members report for its current incarnation: ALIVE, SUSPECT, DEAD or"
          + " LEFT.")
  private String state;

  @JsonPropertyDescription("Incarnation id the pod reports; a restarted pod has a new one.")
  private String incarnation;

  @JsonPropertyDescription("Container restarts.")
  private Integer restarts;

  @JsonPropertyDescription("Why the pod is not healthy, when it is not.")
  private String message;

  public String getPod() {
    return pod;
  }

  public void setPod(String pod) {
    this.pod = pod;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public Boolean getHealthy() {
    return healthy;
  }

  public void setHealthy(Boolean healthy) {
    this.healthy = healthy;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getIncarnation() {
    return incarnation;
  }

  public void setIncarnation(String incarnation) {
    this.incarnation = incarnation;
  }

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MemberStatus m)) {
      return false;
    }
    return Objects.equals(pod, m.pod)
        && Objects.equals(role, m.role)
        && Objects.equals(ready, m.ready)
        && Objects.equals(healthy, m.healthy)
        && Objects.equals(state, m.state)
        && Objects.equals(incarnation, m.incarnation)
        && Objects.equals(restarts, m.restarts)
        && Objects.equals(message, m.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pod, role, ready, healthy, state, incarnation);
  }
}
