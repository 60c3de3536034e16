package io.kubechat.pod.chat.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.chat.state.PresenceLedger.Correction;
import io.kubechat.pod.chat.state.PresenceLedger.Key;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger against a real {@link ChatState}: corrections applied to it converge. */
class PresenceLedgerTest {

  private static final Key BOB_G = new Key("g", "bob", "c-bob");

  private final ChatState state = new ChatState("kc", 100, 10, 10);
  private final PresenceLedger ledger = new PresenceLedger("pod-a");
  private long index;

  private List<Correction> corrections() {
    return ledger.corrections(
        state.presenceOn("pod-a"), k -> state.presenceOf(k.group(), k.user(), k.clientId()), 10);
  }

  private void apply(ChatCommand command) {
    state.apply(++index, command);
  }

  @Test
  void aJoinThatNeverReachedTheLogIsProposedOnceTheDifferenceIsSeenTwice() {
    apply(new ChatCommand.Join("g", "ann", "c-ann", "pod-b", -1, null));
    ledger.joined(BOB_G, "bob", 1); // answered from the local state: not in the log
    assertThat(corrections()).isEmpty(); // seen once: may still be on its way
    List<Correction> fix = corrections();
    assertThat(fix)
        .containsExactly(
            new Correction(BOB_G, new ChatCommand.Join("g", "bob", "c-bob", "pod-a", -1, null)));
    fix.forEach(c -> apply(c.command()));
    assertThat(state.members("g")).containsExactly("ann", "bob");
    assertThat(corrections()).isEmpty();
    assertThat(corrections()).isEmpty();
  }

  @Test
  void nothingIsCorrectedWhileAnEntryIsInFlight() {
    ledger.joined(BOB_G, "bob", 1);
    ledger.proposing(BOB_G);
    assertThat(corrections()).isEmpty();
    assertThat(corrections()).isEmpty();
    ledger.settled(BOB_G); // failed: the log never got it
    assertThat(corrections()).isEmpty();
    assertThat(corrections()).extracting(Correction::key).containsExactly(BOB_G);
  }

  @Test
  void aLeaveThatFailedIsProposedAndAForeignNodesEntryIsNot() {
    apply(new ChatCommand.Join("g", "bob", "c-bob", "pod-a", -1, null));
    apply(new ChatCommand.Join("g", "eve", "c-eve", "pod-b", -1, null));
    corrections();
    List<Correction> fix = corrections();
    assertThat(fix)
        .containsExactly(
            new Correction(
                BOB_G, new ChatCommand.Leave("g", "bob", "c-bob", "pod-a", "disconnect")));
    fix.forEach(c -> apply(c.command()));
    assertThat(state.members("g")).containsExactly("eve");
    assertThat(corrections()).isEmpty();
  }

  @Test
  void aClientThatMovedToAnotherPodIsLeftAlone() {
    ledger.joined(BOB_G, "bob", 1); // its old connection here has not noticed yet
    apply(new ChatCommand.Join("g", "bob", "c-bob", "pod-b", -1, null));
    corrections();
    assertThat(corrections()).isEmpty();
  }

  @Test
  void twoConnectionsOfOneClientKeepItJoinedUntilBothLeft() {
    ledger.joined(BOB_G, "bob", 1);
    ledger.joined(BOB_G, "bob", 2); // a reconnect to this pod overlapped the old connection
    ledger.left(BOB_G, 1);
    corrections();
    assertThat(corrections())
        .extracting(c -> c.command().getClass().getSimpleName())
        .containsExactly("Join");
    apply(new ChatCommand.Join("g", "bob", "c-bob", "pod-a", -1, null));
    ledger.left(BOB_G, 2);
    assertThat(corrections()).as("a different correction for the same key starts over").isEmpty();
    assertThat(corrections())
        .extracting(c -> c.command().getClass().getSimpleName())
        .containsExactly("Leave");
  }

  @Test
  void joiningTwiceThroughOneConnectionIsUndoneByOneLeave() {
    apply(new ChatCommand.Join("g", "bob", "c-bob", "pod-a", -1, null));
    ledger.joined(BOB_G, "bob", 7);
    ledger.joined(BOB_G, "bob", 7); // a second join of the group on the same connection
    ledger.left(BOB_G, 7);
    corrections();
    assertThat(corrections())
        .extracting(c -> c.command().getClass().getSimpleName())
        .containsExactly("Leave");
  }

  @Test
  void atMostMaxCorrectionsPerCall() {
    for (int i = 0; i < 30; i++) {
      ledger.joined(new Key("g" + i, "u", "c"), "u", 1);
    }
    corrections();
    assertThat(corrections()).hasSize(10);
  }

  @Test
  void membersOverlayThisPodsChangesOnTheLog() {
    apply(new ChatCommand.Join("g", "ann", "c-ann", "pod-b", -1, null));
    apply(new ChatCommand.Join("g", "old", "c-old", "pod-a", -1, null)); // no socket here any more
    ledger.joined(BOB_G, "bob", 1);
    assertThat(ledger.members("g", state.presence("g"))).containsExactly("ann", "bob");
    assertThat(ledger.members("other", state.presence("other"))).isEmpty();
  }
}
