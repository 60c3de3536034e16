package io.kubechat.pod.raft.store;

import io.kubechat.pod.raft.PodEndpoint;
import io.microraft.RaftEndpoint;
import io.microraft.lifecycle.RaftNodeLifecycleAware;
import io.microraft.model.RaftModelFactory;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.persistence.RaftEndpointPersistentState;
import io.microraft.model.persistence.RaftTermPersistentState;
import io.microraft.persistence.RaftStore;
import io.microraft.persistence.RestoredRaftState;
import io.microraft.store.sqlite.RaftSqliteStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * MicroRaft's SQLite store (WAL, one exclusive connection, {@code synchronous=EXTRA}: every flush
 * is on disk before MicroRaft acknowledges), with one fix: the store restores nothing when the
 * persisted vote is empty (a follower that learned a term from a leader without voting), which
 * would make such a member forget its log on restart. An empty vote is persisted as {@link
 * #NO_VOTE} and read back as null.
 */
final class SqliteRaftStore implements RaftStore, RaftNodeLifecycleAware {

  /** Stands for "voted for nobody"; '!' is not allowed in a pod name, so it is no member. */
  static final PodEndpoint NO_VOTE = new PodEndpoint("!", "none");

  private final RaftSqliteStore store;
  private final RaftModelFactory factory;

  private SqliteRaftStore(RaftSqliteStore store, RaftModelFactory factory) {
    this.store = store;
    this.factory = factory;
  }

  static SqliteRaftStore open(Path file, RaftModelFactory factory) {
    return new SqliteRaftStore(
        RaftSqliteStore.create(file.toFile(), factory, new StoreSerializer(factory)), factory);
  }

  /** The persisted state, or empty when this store never recorded a term. */
  Optional<RestoredRaftState> restore() {
    return store
        .getRestoredRaftState(true)
        .map(
            s -> {
              RaftTermPersistentState term = s.getTermPersistentState();
              if (!NO_VOTE.equals(term.getVotedFor())) {
                return s;
              }
              return new RestoredRaftState(
                  s.getLocalEndpointPersistentState(),
                  s.getInitialGroupMembers(),
                  withVote(term.getTerm(), null),
                  s.getSnapshotEntry(),
                  s.getLogEntries());
            });
  }

  /** Closes the database when it was never handed to a Raft node. */
  void close() {
    store.onRaftNodeTerminate();
  }

  @Override
  public void onRaftNodeStart() {
    store.onRaftNodeStart();
  }

  @Override
  public void onRaftNodeTerminate() {
    store.onRaftNodeTerminate();
  }

  @Override
  public void persistAndFlushLocalEndpoint(RaftEndpointPersistentState state) {
    store.persistAndFlushLocalEndpoint(state);
  }

  @Override
  public void persistAndFlushInitialGroupMembers(RaftGroupMembersView members) {
    store.persistAndFlushInitialGroupMembers(members);
  }

  @Override
  public void persistAndFlushTerm(RaftTermPersistentState state) {
    store.persistAndFlushTerm(
        state.getVotedFor() == null ? withVote(state.getTerm(), NO_VOTE) : state);
  }

  @Override
  public void persistLogEntries(List<LogEntry> entries) {
    store.persistLogEntries(entries);
  }

  @Override
  public void persistSnapshotChunk(SnapshotChunk chunk) {
    store.persistSnapshotChunk(chunk);
  }

  @Override
  public void truncateLogEntriesFrom(long indexInclusive) {
    store.truncateLogEntriesFrom(indexInclusive);
  }

  @Override
  public void truncateLogEntriesUntil(long indexInclusive) {
    store.truncateLogEntriesUntil(indexInclusive);
  }

  @Override
  public void deleteSnapshotChunks(long index, int chunkCount) {
    store.deleteSnapshotChunks(index, chunkCount);
  }

  @Override
  public void flush() {
    store.flush();
  }

  private RaftTermPersistentState withVote(int term, RaftEndpoint votedFor) {
    return factory
        .createRaftTermPersistentStateBuilder()
        .setTerm(term)
        .setVotedFor(votedFor)
        .build();
  }
}
