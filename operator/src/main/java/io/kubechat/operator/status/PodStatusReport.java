package io.kubechat.operator.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The chat pod's {@code GET /status} answer (issue 2 contract). Unknown fields are ignored so the
 * pod may add fields without breaking the operator.
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
    List<Member> members) {

  public static final String ROLE_NONE = "NONE";

  public PodStatusReport {
    role = role == null ? ROLE_NONE : role;
    // Consensus members are "pod/incarnation"; the status names pods.
    leader =
        leader != null && leader.indexOf('/') > 0
            ? leader.substring(0, leader.indexOf('/'))
            : leader;
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** True when the pod takes part in consensus (part 2); part 1 pods report NONE. */
  public boolean consensusEnabled() {
    return !ROLE_NONE.equals(role);
  }

  /** One row of the pod's membership table. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(
      String node, String incarnation, String state, long lastSeenMillisAgo, boolean hearsUs) {}
}
