package io.kubechat.pod.raft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.raft.PodEndpoint;
import io.microraft.RaftEndpoint;
import io.microraft.lifecycle.RaftNodeLifecycleAware;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.persistence.RaftStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory's rules: what is restored, what is discarded, who may use it. */
class MemberDirectoryTest {
  final DefaultRaftModelFactory factory = new DefaultRaftModelFactory();
  @TempDir Path dir;

  @Test
  void aMemberThatNeverVotedIsRestoredWithItsTermAndNoVote() throws Exception {
    PodEndpoint self;
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.of("uid-1"))) {
      assertThat(d.memberId()).isEqualTo("uid-1");
      assertThat(d.takeRestored()).isEmpty();
      self = new PodEndpoint("pod-1", d.memberId());
      RaftStore store = d.fresh("g1", self).orElseThrow();
      persistTerm(store, self, 3, null);
      ((RaftNodeLifecycleAware) store).onRaftNodeTerminate();
    }
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.of("uid-2"))) {
      assertThat(d.memberId()).as("the restored member, not the new pod UID").isEqualTo("uid-1");
      RaftPersistence.Restored r = d.takeRestored().orElseThrow();
      assertThat(r.group()).isEqualTo("g1");
      assertThat(r.self()).isEqualTo(self);
      assertThat(r.state().getTermPersistentState().getTerm()).isEqualTo(3);
      assertThat(r.state().getTermPersistentState().getVotedFor()).isNull();
      assertThat(d.takeRestored()).as("handed over once").isEmpty();
      ((RaftNodeLifecycleAware) r.store()).onRaftNodeTerminate();
    }
  }

  @Test
  void aDirectoryOfAnotherClusterOrPodIsDiscarded() throws Exception {
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.empty())) {
      PodEndpoint self = new PodEndpoint("pod-1", d.memberId());
      RaftStore store = d.fresh("g1", self).orElseThrow();
      persistTerm(store, self, 1, self);
      ((RaftNodeLifecycleAware) store).onRaftNodeTerminate();
    }
    try (MemberDirectory d = MemberDirectory.open(dir, "other", "pod-1", Optional.empty())) {
      assertThat(d.takeRestored()).isEmpty();
    }
    assertThat(Files.exists(dir.resolve("member.json"))).isFalse();
    assertThat(raftFiles()).isEmpty();
  }

  @Test
  void aCorruptDatabaseIsDiscardedAndItsMemberIdNotUsedAgain() throws Exception {
    String first;
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.of("uid-1"))) {
      first = d.memberId();
      PodEndpoint self = new PodEndpoint("pod-1", first);
      RaftStore store = d.fresh("g1", self).orElseThrow();
      persistTerm(store, self, 1, self);
      ((RaftNodeLifecycleAware) store).onRaftNodeTerminate();
    }
    Files.writeString(dir.resolve("raft-1.db"), "not a database".repeat(100));
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.of("uid-1"))) {
      assertThat(d.takeRestored()).isEmpty();
      assertThat(d.memberId())
          .as("a member id never comes back without its vote")
          .isNotEqualTo(first);
    }
  }

  @Test
  void aForgottenMemberIsNotRestored() throws Exception {
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.empty())) {
      PodEndpoint self = new PodEndpoint("pod-1", d.memberId());
      RaftStore store = d.fresh("g1", self).orElseThrow();
      persistTerm(store, self, 1, self);
      ((RaftNodeLifecycleAware) store).onRaftNodeTerminate();
      d.forget();
    }
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.empty())) {
      assertThat(d.takeRestored()).isEmpty();
    }
  }

  @Test
  void aSecondUserOfTheDirectoryIsRefused() throws Exception {
    try (MemberDirectory d = MemberDirectory.open(dir, "c", "pod-1", Optional.empty())) {
      assertThatThrownBy(() -> MemberDirectory.open(dir, "c", "pod-1", Optional.empty()))
          .hasMessageContaining("in use");
    }
  }

  private void persistTerm(RaftStore store, PodEndpoint self, int term, RaftEndpoint vote)
      throws IOException {
    store.persistAndFlushLocalEndpoint(
        factory
            .createRaftEndpointPersistentStateBuilder()
            .setLocalEndpoint(self)
            .setVoting(true)
            .build());
    store.persistAndFlushInitialGroupMembers(
        factory
            .createRaftGroupMembersViewBuilder()
            .setLogIndex(0)
            .setMembers(List.of(self))
            .setVotingMembers(List.of(self))
            .build());
    store.persistAndFlushTerm(
        factory.createRaftTermPersistentStateBuilder().setTerm(term).setVotedFor(vote).build());
  }

  private List<Path> raftFiles() throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("raft-")).toList();
    }
  }
}
