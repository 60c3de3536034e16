package io.kubechat.client.cli;

import io.kubechat.client.ChatError;
import io.kubechat.client.ChatListener;
import io.kubechat.client.ConnectionState;
import io.kubechat.client.Gap;
import io.kubechat.client.Presence;
import io.kubechat.client.Reset;
import io.kubechat.client.StateChange;
import java.io.PrintStream;

/**
 * Shows connection changes, presence, gaps, resets and errors on a stream (stderr for the scripting
 * commands, stdout for the interactive chat). Messages are printed by each command.
 */
class Console implements ChatListener {
  private final PrintStream out;
  private final boolean showPresence;
  private final int servers;
  private boolean hinted;

  /** {@code servers}: how many server addresses the client was given. */
  Console(PrintStream out, boolean showPresence, int servers) {
    this.out = out;
    this.showPresence = showPresence;
    this.servers = servers;
  }

  @Override
  public void onStateChange(StateChange change) {
    out.println(ConsoleFormat.state(change));
    if (servers == 1 && !change.reached() && change.current() == ConnectionState.RECONNECTING) {
      if (!hinted) {
        out.println(ConsoleFormat.ONE_SERVER_HINT);
        hinted = true;
      }
    }
  }

  @Override
  public void onPresence(Presence presence) {
    if (showPresence) {
      out.println(ConsoleFormat.presence(presence));
    }
  }

  @Override
  public void onGap(Gap gap) {
    out.println(ConsoleFormat.gap(gap));
  }

  @Override
  public void onReset(Reset reset) {
    out.println(ConsoleFormat.reset(reset));
  }

  @Override
  public void onError(ChatError error) {
    out.println(ConsoleFormat.error(error));
  }
}
