package io.kubechat.pod.chat.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.chat.ChatEvent;
import io.kubechat.pod.chat.ChatMessage;
import io.kubechat.pod.chat.JoinResult;
import io.kubechat.pod.chat.LeaveResult;
import io.kubechat.pod.chat.SendResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStateTest {

  private long index;
  private final ChatState state = new ChatState("c1", 5, 3, 2);

  private Applied apply(ChatCommand c) {
    return state.apply(++index, c);
  }

  private SendResult send(String client, String id, String text) {
    return (SendResult)
        apply(new ChatCommand.Send("g", "u-" + client, client, id, text, "n1", 1000 + index))
            .result();
  }

  private JoinResult join(String client, long since, String epoch) {
    return (JoinResult)
        apply(new ChatCommand.Join("g", "u-" + client, client, "n1", since, epoch)).result();
  }

  @Test
  void seqGrowsByOneAndEpochComesFromTheCreatingEntry() {
    join("a", -1, null);
    SendResult r1 = send("a", "m1", "hi");
    SendResult r2 = send("b", "m1", "ho");
    assertThat(r1.seq()).isEqualTo(1);
    assertThat(r2.seq()).isEqualTo(2);
    assertThat(r1.epoch()).isEqualTo("c1-1").isEqualTo(r2.epoch());
    assertThat(state.seq("g")).isEqualTo(2);
    Applied other = state.apply(++index, new ChatCommand.Send("h", "u", "a", "x", "t", "n1", 5));
    assertThat(((SendResult) other.result()).epoch()).isEqualTo("c1-" + index);
    assertThat(((SendResult) other.result()).seq()).isEqualTo(1);
  }

  @Test
  void sendEmitsTheMessageWithEverything() {
    Applied a = apply(new ChatCommand.Send("g", "alice", "c", "m1", "hello", "pod-1", 42));
    assertThat(a.events())
        .containsExactly(
            new ChatEvent.Message(
                new ChatMessage("g", 1, "c1-1", "alice", "c", "m1", "hello", 42, "pod-1")));
  }

  @Test
  void resendReturnsTheOriginalResultAndNoEvent() {
    SendResult first = send("a", "m1", "hi");
    send("a", "m2", "again");
    Applied resend = apply(new ChatCommand.Send("g", "u-a", "a", "m1", "hi", "n2", 9999));
    assertThat(resend.result()).isEqualTo(first);
    assertThat(resend.events()).isEmpty();
    assertThat(state.seq("g")).isEqualTo(2);
  }

  @Test
  void dedupIsBoundedPerClientAndInClients() {
    send("a", "m1", "x");
    send("a", "m2", "x");
    send("a", "m3", "x");
    send("a", "m4", "x"); // m1 forgotten (3 per client)
    assertThat(send("a", "m2", "x").seq()).isEqualTo(2);
    assertThat(send("a", "m1", "x").seq()).isEqualTo(5); // treated as new: documented bound
    send("b", "m1", "x");
    send("c", "m1", "x"); // 2 clients max: a (least recent) forgotten
    assertThat(send("b", "m1", "x").seq()).isEqualTo(6);
    assertThat(send("a", "m4", "x").seq()).isEqualTo(8);
  }

  @Test
  void historyKeepsTheLastLimitMessages() {
    for (int i = 1; i <= 8; i++) {
      send("a", "m" + i, "t" + i);
    }
    List<ChatMessage> h = state.history("g", 0, 100);
    assertThat(h).extracting(ChatMessage::seq).containsExactly(4L, 5L, 6L, 7L, 8L);
    assertThat(state.history("g", 6, 100)).extracting(ChatMessage::seq).containsExactly(7L, 8L);
    assertThat(state.history("g", 0, 2)).extracting(ChatMessage::seq).containsExactly(7L, 8L);
    assertThat(state.history("nope", 0, 2)).isEmpty();
  }

  @Test
  void joinReplaysWhatWasMissed() {
    send("a", "m1", "t");
    String epoch = state.epoch("g");
    send("a", "m2", "t");
    send("a", "m3", "t");
    JoinResult r = join("b", 1, epoch);
    assertThat(r.seq()).isEqualTo(3);
    assertThat(r.epoch()).isEqualTo(epoch);
    assertThat(r.replay()).extracting(ChatMessage::seq).containsExactly(2L, 3L);
    assertThat(r.hasGap()).isFalse();
    assertThat(r.reset()).isFalse();
    assertThat(join("c", 3, epoch).replay()).isEmpty();
    assertThat(join("d", -1, null).replay()).isEmpty();
  }

  @Test
  void aLocalViewReplaysLikeAJoinWithoutJoining() {
    send("a", "m1", "t");
    send("a", "m2", "t");
    JoinResult v = state.view("g", 1, state.epoch("g"));
    assertThat(v.replay()).extracting(ChatMessage::seq).containsExactly(2L);
    assertThat(v.members()).isEmpty();
    assertThat(state.view("g", 0, "other").reset()).isTrue();
    assertThat(state.view("none", 0, null)).isNull();
  }

  @Test
  void joinSaysGapWhenTheMissedPartIsOlderThanTheHistory() {
    for (int i = 1; i <= 9; i++) {
      send("a", "m" + i, "t");
    }
    JoinResult r = join("b", 2, state.epoch("g"));
    assertThat(r.gapFrom()).isEqualTo(3);
    assertThat(r.gapTo()).isEqualTo(4);
    assertThat(r.replay()).extracting(ChatMessage::seq).containsExactly(5L, 6L, 7L, 8L, 9L);
    assertThat(r.reset()).isFalse();
  }

  @Test
  void joinSaysResetWhenTheEpochChangedAndReplaysTheNewEpoch() {
    send("a", "m1", "t");
    send("a", "m2", "t");
    JoinResult r = join("b", 40, "old-epoch");
    assertThat(r.reset()).isTrue();
    assertThat(r.hasGap()).isFalse();
    assertThat(r.replay()).extracting(ChatMessage::seq).containsExactly(1L, 2L);
    JoinResult fresh =
        (JoinResult) apply(new ChatCommand.Join("new", "u", "x", "n1", 3, "old-epoch")).result();
    assertThat(fresh.reset()).isTrue();
    assertThat(fresh.seq()).isZero();
    assertThat(fresh.replay()).isEmpty();
  }

  @Test
  void anotherUsersClientIdNamesAnotherClient() {
    apply(new ChatCommand.Join("g", "alice", "c-a", "n1", -1, null));
    // mallory names alice's clientId and pre-sends her next message id
    SendResult fake =
        (SendResult)
            apply(new ChatCommand.Send("g", "mallory", "c-a", "m1", "fake", "n2", 1)).result();
    Applied real = apply(new ChatCommand.Send("g", "alice", "c-a", "m1", "real", "n1", 2));
    assertThat(((SendResult) real.result()).seq()).isEqualTo(fake.seq() + 1);
    assertThat(real.events()).hasSize(1);
    assertThat(((ChatEvent.Message) real.events().get(0)).message().text()).isEqualTo("real");
    // nor can mallory's join and leave under that clientId remove alice from the group
    apply(new ChatCommand.Join("g", "mallory", "c-a", "n2", -1, null));
    apply(new ChatCommand.Leave("g", "mallory", "c-a", "n2", "leave"));
    assertThat(state.members("g")).containsExactly("alice");
    assertThat(state.presenceOf("g", "alice", "c-a")).isNotNull();
    // and both survive a snapshot
    ChatState copy = new ChatState("c1", 5, 3, 2);
    copy.restore(state.snapshot());
    assertThat(copy.presenceOf("g", "alice", "c-a"))
        .isEqualTo(new ClientPresence("g", "c-a", "alice", "n1"));
    Applied resent =
        copy.apply(99, new ChatCommand.Send("g", "alice", "c-a", "m1", "real", "n1", 2));
    assertThat(resent.events()).isEmpty();
    assertThat(((SendResult) resent.result()).seq()).isEqualTo(fake.seq() + 1);
  }

  @Test
  void presenceJoinLeaveAndDropNode() {
    Applied j1 = apply(new ChatCommand.Join("g", "bob", "c1", "n1", -1, null));
    assertThat(j1.events())
        .containsExactly(new ChatEvent.Presence("g", "bob", "c1", true, "join", List.of("bob")));
    apply(new ChatCommand.Join("g", "alice", "c2", "n2", -1, null));
    apply(new ChatCommand.Join("g", "bob", "c3", "n2", -1, null));
    apply(new ChatCommand.Join("h", "carol", "c4", "n2", -1, null));
    assertThat(state.members("g")).containsExactly("alice", "bob");
    assertThat(state.presence("g"))
        .containsExactly(
            new ClientPresence("g", "c1", "bob", "n1"),
            new ClientPresence("g", "c2", "alice", "n2"),
            new ClientPresence("g", "c3", "bob", "n2"));
    assertThat(state.presenceOn("n2"))
        .containsExactlyInAnyOrder(
            new ClientPresence("g", "c2", "alice", "n2"),
            new ClientPresence("g", "c3", "bob", "n2"),
            new ClientPresence("h", "c4", "carol", "n2"));
    assertThat(state.presenceOf("h", "carol", "c4"))
        .isEqualTo(new ClientPresence("h", "c4", "carol", "n2"));
    assertThat(state.presenceOf("h", "bob", "c1")).isNull();
    // a repeated join (retry) changes nothing and says nothing
    assertThat(apply(new ChatCommand.Join("g", "bob", "c1", "n1", -1, null)).events()).isEmpty();

    Applied leave = apply(new ChatCommand.Leave("g", "bob", "c1", "n1", "timeout"));
    assertThat(leave.events())
        .containsExactly(
            new ChatEvent.Presence("g", "bob", "c1", false, "timeout", List.of("alice", "bob")));
    assertThat(leave.result()).isEqualTo(new LeaveResult("g", List.of("alice", "bob"), false));
    assertThat(apply(new ChatCommand.Leave("g", "bob", "c1", "n1", "leave")).events()).isEmpty();

    Applied drop = apply(new ChatCommand.DropNode("n2"));
    assertThat(drop.events())
        .containsExactly(
            new ChatEvent.Presence("g", "alice", "c2", false, "node-gone", List.of("bob")),
            new ChatEvent.Presence("g", "bob", "c3", false, "node-gone", List.of()),
            new ChatEvent.Presence("h", "carol", "c4", false, "node-gone", List.of()));
    assertThat(state.members("g")).isEmpty();
  }

  @Test
  void aLateDisconnectFromTheOldPodDoesNotRemoveAClientThatMovedOn() {
    apply(new ChatCommand.Join("g", "bob", "c1", "pod-a", -1, null));
    Applied moved = apply(new ChatCommand.Join("g", "bob", "c1", "pod-b", 3, state.epoch("g")));
    assertThat(moved.events()).hasSize(1); // the node changed
    assertThat(apply(new ChatCommand.Leave("g", "bob", "c1", "pod-a", "disconnect")).events())
        .isEmpty();
    assertThat(apply(new ChatCommand.DropNode("pod-a")).events()).isEmpty();
    assertThat(state.members("g")).containsExactly("bob");
    assertThat(apply(new ChatCommand.Leave("g", "bob", "c1", "pod-b", "leave")).events())
        .hasSize(1);
    assertThat(state.members("g")).isEmpty();
  }

  @Test
  void snapshotRoundTripGivesTheSameStateAndBehaviour() {
    apply(new ChatCommand.Join("g", "bob", "c1", "n1", -1, null));
    for (int i = 1; i <= 7; i++) {
      send("a", "m" + i, "t" + i);
    }
    apply(new ChatCommand.Send("h", "u", "b", "x", "ü ☃ text", "n3", 77));
    ChatState copy = new ChatState("c1", 5, 3, 2);
    copy.restore(state.snapshot());
    assertThat(copy.lastApplied()).isEqualTo(state.lastApplied());
    assertThat(copy.history("g", 0, 100)).isEqualTo(state.history("g", 0, 100));
    assertThat(copy.history("h", 0, 100)).isEqualTo(state.history("h", 0, 100));
    assertThat(copy.members("g")).containsExactly("bob");
    assertThat(copy.epoch("g")).isEqualTo(state.epoch("g"));
    // same commands give the same results on both
    ChatCommand resend = new ChatCommand.Send("g", "u-a", "a", "m7", "t7", "n1", 1);
    ChatCommand fresh = new ChatCommand.Send("g", "u-a", "a", "m99", "t", "n1", 1);
    assertThat(copy.apply(100, resend)).isEqualTo(state.apply(100, resend));
    assertThat(copy.apply(101, fresh)).isEqualTo(state.apply(101, fresh));
    assertThat(copy.snapshot()).zipSatisfy(state.snapshot(), (x, y) -> assertThat(x).isEqualTo(y));
  }

  @Test
  void snapshotHoldsTextsOfTheLargestAllowedSize() {
    // 16 MiB of UTF-8 (3 bytes per snowman): DataOutput.writeUTF stops at 65,535 bytes
    String text = "☃".repeat(16 * 1024 * 1024 / 3);
    apply(new ChatCommand.Send("big", "u", "b", "x", text, "n3", 77));
    ChatState copy = new ChatState("c1", 5, 3, 2);
    copy.restore(state.snapshot());
    assertThat(copy.history("big", 0, 1)).singleElement().extracting(m -> m.text()).isEqualTo(text);
  }

  @Test
  void emptySnapshotRestoresAnEmptyState() {
    send("a", "m1", "t");
    ChatState empty = new ChatState("c1", 5, 3, 2);
    state.restore(empty.snapshot());
    assertThat(state.groupCount()).isZero();
  }

  @Test
  void rejectsNonPositiveLimits() {
    assertThatThrownBy(() -> new ChatState("c", 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
