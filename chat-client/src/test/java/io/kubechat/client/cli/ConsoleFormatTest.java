package io.kubechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.client.Presence;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleFormatTest {

  @Test
  void aJoinAnsweredWithoutQuorumSaysSo() {
    Presence committed =
        new Presence(
            Presence.Kind.JOINED, "g", "ann", "c1", List.of("ann", "bob"), null, true, false);
    Presence local =
        new Presence(
            Presence.Kind.JOINED, "g", "ann", "c1", List.of("ann", "bob"), null, true, true);
    assertThat(ConsoleFormat.presence(committed))
        .isEqualTo("* you (ann) joined g (members: ann, bob)");
    assertThat(ConsoleFormat.presence(local))
        .isEqualTo(
            "* you (ann) joined g (members: ann, bob)"
                + " [no quorum: this pod's view; messages wait until it is back]");
  }
}
