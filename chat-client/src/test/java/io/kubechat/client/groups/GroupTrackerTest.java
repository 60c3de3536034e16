package io.kubechat.client.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.client.ChatMessage;
import org.junit.jupiter.api.Test;

class GroupTrackerTest {

  private static ChatMessage message(String group, String epoch, long seq) {
    return new ChatMessage(group, "bob", "m" + seq, "id" + seq, 0, "pod-1", seq, epoch);
  }

  @Test
  void firstJoinIsPlainAndReadingStartsAfterTheJoinedSeq() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    assertThat(tracker.joinSpec("g")).isEqualTo(new JoinSpec("g", null, null));
    tracker.onJoined("g", "e1", 7);
    assertThat(tracker.accept(message("g", "e1", 7))).isFalse();
    assertThat(tracker.accept(message("g", "e1", 8))).isTrue();
    assertThat(tracker.joinSpec("g")).isEqualTo(new JoinSpec("g", 8L, "e1"));
  }

  @Test
  void rejoinCarriesTheLastSeqAndEpochAndDropsReplayedDuplicates() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    tracker.onJoined("g", "e1", 0);
    for (long seq = 1; seq <= 5; seq++) {
      assertThat(tracker.accept(message("g", "e1", seq))).isTrue();
    }
    assertThat(tracker.joinSpec("g")).isEqualTo(new JoinSpec("g", 5L, "e1"));
    tracker.onJoined("g", "e1", 9); // the rejoin: replay 6..9 follows
    assertThat(tracker.accept(message("g", "e1", 4))).isFalse();
    assertThat(tracker.accept(message("g", "e1", 5))).isFalse();
    assertThat(tracker.accept(message("g", "e1", 6))).isTrue();
    assertThat(tracker.accept(message("g", "e1", 6))).isFalse();
    assertThat(tracker.position("g")).isEqualTo(new GroupPosition("e1", 6));
  }

  @Test
  void sinceIsUsedOnTheFirstJoinAndTheServerEpochAdopted() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", 3L);
    assertThat(tracker.joinSpec("g")).isEqualTo(new JoinSpec("g", 3L, null));
    tracker.onJoined("g", "e1", 10);
    assertThat(tracker.accept(message("g", "e1", 3))).isFalse();
    assertThat(tracker.accept(message("g", "e1", 4))).isTrue();
    assertThat(tracker.joinSpec("g")).isEqualTo(new JoinSpec("g", 4L, "e1"));
  }

  @Test
  void gapMovesThePositionForward() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    tracker.onJoined("g", "e1", 2);
    tracker.onGap("g", 10);
    assertThat(tracker.accept(message("g", "e1", 9))).isFalse();
    assertThat(tracker.accept(message("g", "e1", 11))).isTrue();
  }

  @Test
  void resetRestartsNumberingInTheNewEpoch() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    tracker.onJoined("g", "e1", 0);
    tracker.accept(message("g", "e1", 1));
    tracker.accept(message("g", "e1", 2));
    tracker.onJoined("g", "e2", 1);
    tracker.onReset("g", "e2");
    assertThat(tracker.accept(message("g", "e2", 1))).isTrue();
    assertThat(tracker.accept(message("g", "e2", 1))).isFalse();
    assertThat(tracker.position("g")).isEqualTo(new GroupPosition("e2", 1));
  }

  @Test
  void aMessageOfANewEpochWithoutResetIsStillDelivered() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    tracker.onJoined("g", "e1", 5);
    assertThat(tracker.accept(message("g", "e2", 1))).isTrue();
    assertThat(tracker.accept(message("g", "e2", 1))).isFalse();
  }

  @Test
  void untrackedGroupsNeverPass() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    tracker.onJoined("g", "e1", 0);
    assertThat(tracker.accept(message("g", "e1", 1))).isTrue();
    assertThat(tracker.accept(message("other", "e1", 1))).isFalse();
    tracker.untrack("g");
    assertThat(tracker.accept(message("g", "e1", 2))).isFalse();
  }

  @Test
  void trackingAgainKeepsThePosition() {
    GroupTracker tracker = new GroupTracker();
    tracker.track("g", null);
    tracker.onJoined("g", "e1", 4);
    tracker.track("g", 1L);
    assertThat(tracker.position("g")).isEqualTo(new GroupPosition("e1", 4));
  }
}
