package io.kubechat.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a ChatCluster, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatClusterStatus {
  @PrinterColumn(name = "Ready")
  @JsonPropertyDescription("Pods whose Ready condition is True.")
  private Integer readyReplicas;

  @PrinterColumn(name = "Leader")
  @JsonPropertyDescription(
      "Pod named leader by a majority of the members at the highest term; empty when there is"
          + " none.")
  private String leader;

  @PrinterColumn(name = "Term")
  @JsonPropertyDescription("Raft term of the leader; empty when there is no leader.")
  private Long term;

  @PrinterColumn(name = "Phase")
  @JsonPropertyDescription(
      "Pending, Forming, Ready, Degraded or Failed, recomputed on every reconcile from what is"
          + " observed.")
  private String phase;

  @StatusReplicas
  @JsonPropertyDescription("Pods that exist and are not terminating.")
  private Integer replicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the pods (for the scale subresource).")
  private String selector;

  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("When (RFC 3339) the operator first saw this leader at this term.")
  private String leaderSince;

  @JsonPropertyDescription(
      "True once the group has formed; later pods join it instead of bootstrapping a new one.")
  private Boolean formed;

  @JsonPropertyDescription(
      "Id of the consensus group the leader reports; it changes only when the group is re-formed"
          + " (a quorum-loss recovery, or new pods forming a new group after every member was"
          + " gone).")
  private String group;

  @JsonPropertyDescription("One entry per pod.")
  private List<MemberStatus> members = new ArrayList<>();

  @JsonPropertyDescription(
      "Conditions Ready, LeaderElected, Degraded, EvenReplicas, QuorumRecovered and"
          + " ReconcileSuccess.")
  private List<Condition> conditions = new ArrayList<>();

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getLeader() {
    return leader;
  }

  public void setLeader(String leader) {
    this.leader = leader;
  }

  public Long getTerm() {
    return term;
  }

  public void setTerm(Long term) {
    this.term = term;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLeaderSince() {
    return leaderSince;
  }

  public void setLeaderSince(String leaderSince) {
    this.leaderSince = leaderSince;
  }

  public Boolean getFormed() {
    return formed;
  }

  public void setFormed(Boolean formed) {
    this.formed = formed;
  }

  public List<MemberStatus> getMembers() {
    return members;
  }

  public void setMembers(List<MemberStatus> members) {
    this.members = members;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChatClusterStatus s)) {
      return false;
    }
    return Objects.equals(readyReplicas, s.readyReplicas)
        && Objects.equals(leader, s.leader)
        && Objects.equals(term, s.term)
        && Objects.equals(phase, s.phase)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(selector, s.selector)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(leaderSince, s.leaderSince)
        && Objects.equals(formed, s.formed)
        && Objects.equals(group, s.group)
        && Objects.equals(members, s.members)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(readyReplicas, leader, term, phase, replicas, selector, members);
  }
}
