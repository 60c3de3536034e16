package io.kubechat.pod.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTableTest {
  private final MembershipTable table = new MembershipTable(500, 2000);

  @Test
  void aSilentPeerGoesSuspectAfterTheTimeoutAndDeadAfterThreeTimeouts() {
    assertThat(table.onHeartbeat("b", "i1", "inbox-b", 0).to()).isEqualTo(MemberState.ALIVE);
    assertThat(table.evaluate(1999)).isEmpty();
    assertThat(table.evaluate(2000))
        .extracting(MembershipTable.Transition::to)
        .containsExactly(MemberState.SUSPECT);
    assertThat(table.evaluate(5999)).isEmpty();
    assertThat(table.evaluate(6000))
        .extracting(MembershipTable.Transition::to)
        .containsExactly(MemberState.DEAD);
    assertThat(table.snapshot(7000))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.state()).isEqualTo(MemberState.DEAD);
              assertThat(m.lastSeenMillisAgo()).isEqualTo(7000);
            });
  }

  @Test
  void aHeartbeatBringsASuspectBack() {
    table.onHeartbeat("b", "i1", "x", 0);
    table.evaluate(2500);
    MembershipTable.Transition t = table.onHeartbeat("b", "i1", "x", 2600);
    assertThat(t.from()).isEqualTo(MemberState.SUSPECT);
    assertThat(t.to()).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void goodbyeIsLeftAndALateHeartbeatOfThatIncarnationDoesNotReviveIt() {
    table.onHeartbeat("b", "i1", "x", 0);
    assertThat(table.onLeft("b", "i1", 100).to()).isEqualTo(MemberState.LEFT);
    assertThat(table.onHeartbeat("b", "i1", "x", 200)).isNull();
    assertThat(table.evaluate(100_000)).isEmpty();
    assertThat(table.stateOf("b")).isEqualTo(MemberState.LEFT);
  }

  @Test
  void aRestartWithANewIncarnationReplacesTheRow() {
    table.onHeartbeat("b", "i1", "x", 0);
    table.evaluate(7000);
    MembershipTable.Transition t = table.onHeartbeat("b", "i2", "y", 7100);
    assertThat(t.restarted()).isTrue();
    assertThat(t.from()).isEqualTo(MemberState.DEAD);
    List<MemberInfo> rows = table.snapshot(7100);
    assertThat(rows)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.incarnation()).isEqualTo("i2");
              assertThat(m.state()).isEqualTo(MemberState.ALIVE);
            });
    assertThat(table.inboxOf("b")).isEqualTo("y");
  }

  @Test
  void hearsUsOnlyWhileAcksOfThisIncarnationAreRecent() {
    table.onHeartbeat("b", "i1", "x", 0);
    assertThat(table.snapshot(0).get(0).hearsUs()).isFalse();
    table.onAck("b", "other-incarnation", 10);
    assertThat(table.snapshot(10).get(0).hearsUs()).isFalse();
    table.onAck("b", "i1", 10);
    assertThat(table.snapshot(10).get(0).hearsUs()).isTrue();
    assertThat(table.snapshot(2010).get(0).hearsUs()).isFalse();
  }

  @Test
  void missedHeartbeatsAreCountedOnce() {
    table.onHeartbeat("b", "i1", "x", 0);
    assertThat(table.takeMissedHeartbeats(700)).isZero();
    assertThat(table.takeMissedHeartbeats(800)).isEqualTo(1);
    assertThat(table.takeMissedHeartbeats(800)).isZero();
    assertThat(table.takeMissedHeartbeats(1800)).isEqualTo(2);
    table.onHeartbeat("b", "i1", "x", 1900);
    assertThat(table.takeMissedHeartbeats(2000)).isZero();
  }
}
