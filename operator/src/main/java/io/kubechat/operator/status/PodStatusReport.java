package io.kubechat.operator.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The chat pod's {@code GET /status} answer (docs/architecture.md). Unknown fields are ignored so
 * the pod may add fields without breaking the operator. {@code available}: the pod's consensus
 * group can commit; {@code group}, {@code lastLogTerm}, {@code lastLogIndex} and {@code
 * raftMembers}: its consensus view, by which a lost quorum is judged; {@code podUid}: the Pod UID
 * the process was started with (null outside Kubernetes).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PodStatusReport(
    String node,
    String incarnation,
    String version,
    boolean ready,
    String role,
    long term,
    String leader,
    long commitIndex,
    int clients,
    int groups,
    List<Member> members,
    boolean available,
    String group,
    long lastLogTerm,
    long lastLogIndex,
    List<RaftMember> raftMembers,
    String podUid) {

  public static final String ROLE_NONE = "NONE";

  public PodStatusReport {
    role = role == null ? ROLE_NONE : role;
    // Consensus members are "pod/incarnation"; the status names pods.
    leader =
        leader != null && leader.indexOf('/') > 0
            ? leader.substring(0, leader.indexOf('/'))
            : leader;
    members = members == null ? List.of() : List.copyOf(members);
    raftMembers = raftMembers == null ? List.of() : List.copyOf(raftMembers);
  }

  /** The voters of the consensus group as this pod knows them. */
  public List<RaftMember> voters() {
    return raftMembers.stream().filter(RaftMember::voter).toList();
  }

  /** True when the pod takes part in consensus (part 2); part 1 pods report NONE. */
  public boolean consensusEnabled() {
    return !ROLE_NONE.equals(role);
  }

  /**
   * One member of the consensus group as the pod knows it: {@code incarnation} is the member id
   * (the pod UID when the pod keeps a data directory); {@code voter} false means learner.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RaftMember(String node, String incarnation, boolean voter) {}

  /** One row of the pod's membership table. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(
      String node, String incarnation, String state, long lastSeenMillisAgo, boolean hearsUs) {}
}
