package io.kubechat.pod.raft.store;

import io.kubechat.pod.raft.PodEndpoint;
import io.microraft.persistence.RaftStore;
import io.microraft.persistence.RestoredRaftState;
import java.util.Optional;

/** Where a member keeps its identity and Raft state across restarts of its process. */
public interface RaftPersistence {

  /** A member restored from disk: its group, its endpoint, its Raft state and the open store. */
  record Restored(String group, PodEndpoint self, RestoredRaftState state, RaftStore store) {
    /** The highest log index the restored state holds (snapshot or entry). */
    public long lastIndex() {
      long last = state.getSnapshotEntry() == null ? 0 : state.getSnapshotEntry().getIndex();
      for (var e : state.getLogEntries()) {
        last = Math.max(last, e.getIndex());
      }
      return last;
    }
  }

  /** The member id of this pod (the incarnation part of its Raft endpoint). */
  String memberId();

  /** The restored member, once: the first call hands it over, later ones return empty. */
  Optional<Restored> takeRestored();

  /**
   * A new store for {@code self}, a new member of {@code group}, replacing whatever was kept
   * before; empty when the state lives in memory only.
   */
  Optional<RaftStore> fresh(String group, PodEndpoint self);

  /** The member left its group for good: nothing of it may be restored again. */
  void forget();

  /** No directory: every process start is a new member. */
  static RaftPersistence inMemory(String memberId) {
    return new RaftPersistence() {
      @Override
      public String memberId() {
        return memberId;
      }

      @Override
      public Optional<Restored> takeRestored() {
        return Optional.empty();
      }

      @Override
      public Optional<RaftStore> fresh(String group, PodEndpoint self) {
        return Optional.empty();
      }

      @Override
      public void forget() {}
    };
  }
}
