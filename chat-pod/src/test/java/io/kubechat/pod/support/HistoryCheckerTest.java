package io.kubechat.pod.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.HistoryChecker.Ack;
import io.kubechat.pod.support.HistoryChecker.ClientHistory;
import io.kubechat.pod.support.HistoryChecker.Delivered;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker itself: it accepts a consistent run and finds every kind of inconsistency. */
class HistoryCheckerTest {
  static final Delivered A1 = new Delivered(1, "e", "a", "a-1");
  static final Delivered B1 = new Delivered(2, "e", "b", "b-1");
  static final Delivered A2 = new Delivered(3, "e", "a", "a-2");
  static final List<Ack> ACKS =
      List.of(
          new Ack("a", "a-1", 1, "e"), new Ack("b", "b-1", 2, "e"), new Ack("a", "a-2", 3, "e"));

  static ClientHistory client(String name, Delivered... delivered) {
    return new ClientHistory(name, 0, List.of(delivered));
  }

  @Test
  void aConsistentRunHasNoViolations() {
    assertThat(
            HistoryChecker.check(
                List.of(
                    client("x", A1, B1, A2),
                    client("y", A1, B1, A2),
                    new ClientHistory("late", 1, List.of(B1, A2))),
                ACKS))
        .isEmpty();
  }

  @Test
  void aDuplicateIsFound() {
    assertThat(
            HistoryChecker.check(
                List.of(client("x", A1, B1, B1, A2), client("y", A1, B1, A2)), ACKS))
        .anyMatch(v -> v.contains("x: expected seq 3") && v.contains("duplicate"))
        .anyMatch(v -> v.contains("x: acknowledged b/b-1 (seq 2) received 2 times"));
  }

  @Test
  void aMessageDeliveredTwiceUnderTwoSeqsIsFound() {
    Delivered again = new Delivered(4, "e", "a", "a-1");
    assertThat(HistoryChecker.check(List.of(client("x", A1, B1, A2, again)), ACKS))
        .anyMatch(v -> v.contains("a/a-1 delivered at seq 4 and at seq 1"));
  }

  @Test
  void aMissingMessageIsFound() {
    assertThat(HistoryChecker.check(List.of(client("x", A1, A2), client("y", A1, B1, A2)), ACKS))
        .anyMatch(v -> v.contains("x: expected seq 2") && v.contains("gap"))
        .anyMatch(v -> v.contains("x: acknowledged b/b-1 (seq 2) received 0 times"));
  }

  @Test
  void aReorderingIsFound() {
    assertThat(
            HistoryChecker.check(List.of(client("x", A1, A2, B1), client("y", A1, B1, A2)), ACKS))
        .anyMatch(v -> v.contains("x: expected seq 2"));
  }

  @Test
  void clientsDisagreeingOnASeqAreFound() {
    Delivered otherAt2 = new Delivered(2, "e", "c", "c-1");
    assertThat(
            HistoryChecker.check(
                List.of(client("x", A1, B1, A2), client("y", A1, otherAt2, A2)), ACKS))
        .anyMatch(v -> v.contains("seq 2 is c/c-1 here but b/b-1"));
  }

  @Test
  void anAckWhoseSeqDiffersFromTheDeliveryIsFound() {
    List<Ack> acks = new ArrayList<>(ACKS);
    acks.set(1, new Ack("b", "b-1", 3, "e"));
    assertThat(HistoryChecker.check(List.of(client("x", A1, B1, A2)), acks))
        .anyMatch(
            v ->
                v.contains("ack Ack[clientId=b, id=b-1, seq=3")
                    && v.contains("delivered as a/a-2"));
  }

  @Test
  void anAckedMessageNobodyReceivedIsFound() {
    List<Ack> acks = new ArrayList<>(ACKS);
    acks.add(new Ack("b", "b-2", 4, "e"));
    assertThat(HistoryChecker.check(List.of(client("x", A1, B1, A2)), acks))
        .anyMatch(v -> v.contains("id=b-2") && v.contains("delivered as null"))
        .anyMatch(v -> v.contains("x: acknowledged b/b-2 (seq 4) received 0 times"));
  }

  @Test
  void anotherEpochIsFound() {
    Delivered reset = new Delivered(3, "e2", "a", "a-2");
    assertThat(HistoryChecker.check(List.of(client("x", A1, B1, reset)), ACKS))
        .anyMatch(v -> v.contains("in epoch e2"));
  }
}
