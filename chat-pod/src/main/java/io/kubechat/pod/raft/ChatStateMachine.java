package io.kubechat.pod.raft;

import io.kubechat.pod.chat.state.Applied;
import io.kubechat.pod.chat.state.ChatCommand;
import io.kubechat.pod.chat.state.ChatState;
import io.microraft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MicroRaft's view of the chat state. Runs on the Raft node's thread, the only thread that touches
 * the state: it applies the log, takes and installs snapshots, and runs the pod's local reads
 * ({@link StateRead}, MicroRaft queries). Hands every applied entry to {@code listener} (which hops
 * onto Vert.x) in log order.
 */
final class ChatStateMachine implements StateMachine {

  private static final Logger LOG = LoggerFactory.getLogger(ChatStateMachine.class);

  /** Called on the Raft thread after each applied proposal, in log order. */
  interface Listener {
    void applied(long index, Proposal proposal, Applied applied);

    void restored(long index);
  }

  private final ChatState state;
  private final Listener listener;

  ChatStateMachine(ChatState state, Listener listener) {
    this.state = state;
    this.listener = listener;
  }

  /** A local read of the state, run as a MicroRaft query so that it runs on the Raft thread. */
  record StateRead<T>(Function<ChatState, T> reader) {}

  @Override
  public Object runOperation(long commitIndex, Object operation) {
    if (operation instanceof StateRead<?> read) {
      return read.reader().apply(state);
    }
    if (!(operation instanceof Proposal p)) {
      return null;
    }
    Applied applied;
    try {
      applied = state.apply(commitIndex, p.command());
    } catch (RuntimeException e) {
      // deterministic: every replica fails the same way on the same entry, and goes on
      LOG.error("entry {} could not be applied: {}", commitIndex, p, e);
      return null;
    }
    listener.applied(commitIndex, p, applied);
    return applied.result();
  }

  @Override
  public void takeSnapshot(long commitIndex, Consumer<Object> chunkConsumer) {
    for (byte[] chunk : state.snapshot()) {
      chunkConsumer.accept(chunk);
    }
  }

  @Override
  public void installSnapshot(long commitIndex, List<Object> chunks) {
    List<byte[]> bytes = new ArrayList<>(chunks.size());
    for (Object c : chunks) {
      bytes.add((byte[]) c);
    }
    state.restore(bytes);
    listener.restored(commitIndex);
  }

  @Override
  public Object getNewTermOperation() {
    return new Proposal("", 0, new ChatCommand.NoOp());
  }
}
