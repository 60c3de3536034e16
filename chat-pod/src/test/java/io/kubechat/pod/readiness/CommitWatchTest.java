package io.kubechat.pod.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitWatchTest {

  @Test
  void staysReadyForTheGraceThenNot() {
    CommitWatch w = new CommitWatch(10_000, 3_000);
    assertThat(w.withinReadyGrace(0)).as("unavailable, not observed yet").isTrue();
    w.observe(false, false, 1_000);
    assertThat(w.withinReadyGrace(10_999)).isTrue();
    assertThat(w.withinReadyGrace(11_000)).isFalse();
    w.observe(true, false, 12_000);
    assertThat(w.unavailableFor(12_000)).isZero();
    w.observe(false, false, 13_000);
    assertThat(w.withinReadyGrace(20_000)).as("a new episode, a new grace").isTrue();
  }

  @Test
  void noGraceMeansNotReadyAtOnce() {
    CommitWatch w = new CommitWatch(0, 0);
    assertThat(w.withinReadyGrace(0)).isFalse();
  }

  @Test
  void movesClientsOncePerEpisodeAfterTheDelay() {
    CommitWatch w = new CommitWatch(10_000, 3_000);
    assertThat(w.observe(false, false, 0)).isFalse();
    assertThat(w.observe(false, false, 2_999)).isFalse();
    assertThat(w.observe(false, false, 3_000)).isTrue();
    assertThat(w.observe(false, false, 4_000)).as("once per episode").isFalse();
    w.observe(true, false, 5_000);
    w.observe(false, false, 6_000);
    assertThat(w.observe(false, false, 9_000)).as("the next episode").isTrue();
  }

  @Test
  void doesNotMoveClientsWhenNoPeerItHearsCanCommit() {
    CommitWatch w = new CommitWatch(10_000, 3_000);
    w.observe(false, true, 0);
    assertThat(w.observe(false, true, 5_000)).isFalse();
    assertThat(w.observe(false, false, 6_000))
        .as("a peer that can commit is heard again (or none is heard at all)")
        .isTrue();
  }

  @Test
  void neverMovesWhenTurnedOff() {
    CommitWatch w = new CommitWatch(10_000, 0);
    w.observe(false, false, 0);
    assertThat(w.observe(false, false, 60_000)).isFalse();
  }
}
