package io.kubechat.pod.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.chat.state.ChatCommand;
import io.microraft.MembershipChangeMode;
import io.microraft.RaftEndpoint;
import io.microraft.model.groupop.UpdateRaftGroupMembersOp;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.message.AppendEntriesRequest;
import io.microraft.model.message.InstallSnapshotRequest;
import io.microraft.model.message.RaftMessage;
import io.microraft.model.message.VoteRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RaftCodecTest {

  private static final DefaultRaftModelFactory F = new DefaultRaftModelFactory();
  private static final RaftCodec CODEC = new RaftCodec(F);
  private static final PodEndpoint A = new PodEndpoint("pod-a", "inc1");
  private static final PodEndpoint B = new PodEndpoint("pod-b", "inc2");
  private static final List<RaftEndpoint> AB = List.of(A, B);

  private static RaftGroupMembersView view() {
    return F.createRaftGroupMembersViewBuilder()
        .setLogIndex(7)
        .setMembers(AB)
        .setVotingMembers(List.of(A))
        .build();
  }

  private static LogEntry entry(long i, Object op) {
    return F.createLogEntryBuilder().setIndex(i).setTerm(3).setOperation(op).build();
  }

  private static SnapshotChunk chunk() {
    return F.createSnapshotChunkBuilder()
        .setIndex(40)
        .setTerm(3)
        .setOperation(new byte[] {1, 2, 3, (byte) 255})
        .setSnapshotChunkIndex(1)
        .setSnapshotChunkCount(2)
        .setGroupMembersView(view())
        .build();
  }

  static Stream<RaftMessage> messages() {
    UpdateRaftGroupMembersOp membersOp =
        F.createUpdateRaftGroupMembersOpBuilder()
            .setMembers(AB)
            .setVotingMembers(List.of(A))
            .setEndpoint(B)
            .setMode(MembershipChangeMode.ADD_LEARNER)
            .build();
    List<LogEntry> entries =
        List.of(
            entry(
                10,
                new Proposal(
                    "pod-a/inc1",
                    5,
                    new ChatCommand.Send("g", "u", "c", "m1", "hé \"quoted\"", "pod-a", 99))),
            entry(
                11,
                new Proposal(
                    "pod-a/inc1", 6, new ChatCommand.Join("g", "u", "c", "pod-a", 4, "ep-1"))),
            entry(
                12,
                new Proposal(
                    "pod-a/inc1", 7, new ChatCommand.Join("g", "u", "c", "pod-a", -1, null))),
            entry(
                13,
                new Proposal(
                    "pod-b/inc2", 8, new ChatCommand.Leave("g", "u", "c", "pod-b", "timeout"))),
            entry(14, new Proposal("pod-b/inc2", 9, new ChatCommand.DropNode("pod-c"))),
            entry(15, new Proposal("", 0, new ChatCommand.NoOp())),
            entry(16, membersOp));
    return Stream.of(
        F.createPreVoteRequestBuilder()
            .setGroupId("g1")
            .setSender(A)
            .setTerm(2)
            .setLastLogTerm(1)
            .setLastLogIndex(9)
            .build(),
        F.createPreVoteResponseBuilder()
            .setGroupId("g1")
            .setSender(B)
            .setTerm(2)
            .setGranted(true)
            .build(),
        F.createVoteRequestBuilder()
            .setGroupId("g1")
            .setSender(A)
            .setTerm(3)
            .setLastLogTerm(2)
            .setLastLogIndex(9)
            .setSticky(true)
            .build(),
        F.createVoteResponseBuilder()
            .setGroupId("g1")
            .setSender(B)
            .setTerm(3)
            .setGranted(false)
            .build(),
        F.createAppendEntriesRequestBuilder()
            .setGroupId("g1")
            .setSender(A)
            .setTerm(3)
            .setPreviousLogTerm(2)
            .setPreviousLogIndex(9)
            .setCommitIndex(8)
            .setLogEntries(entries)
            .setQuerySequenceNumber(4)
            .setFlowControlSequenceNumber(12)
            .build(),
        F.createAppendEntriesSuccessResponseBuilder()
            .setGroupId("g1")
            .setSender(B)
            .setTerm(3)
            .setLastLogIndex(16)
            .setQuerySequenceNumber(4)
            .setFlowControlSequenceNumber(12)
            .build(),
        F.createAppendEntriesFailureResponseBuilder()
            .setGroupId("g1")
            .setSender(B)
            .setTerm(3)
            .setExpectedNextIndex(5)
            .setQuerySequenceNumber(4)
            .setFlowControlSequenceNumber(12)
            .build(),
        F.createInstallSnapshotRequestBuilder()
            .setGroupId("g1")
            .setSender(A)
            .setTerm(3)
            .setSenderLeader(true)
            .setSnapshotTerm(3)
            .setSnapshotIndex(40)
            .setTotalSnapshotChunkCount(2)
            .setSnapshotChunk(chunk())
            .setSnapshottedMembers(AB)
            .setGroupMembersView(view())
            .setQuerySequenceNumber(1)
            .setFlowControlSequenceNumber(2)
            .build(),
        F.createInstallSnapshotRequestBuilder()
            .setGroupId("g1")
            .setSender(A)
            .setTerm(3)
            .setSenderLeader(false)
            .setSnapshotTerm(3)
            .setSnapshotIndex(40)
            .setTotalSnapshotChunkCount(2)
            .setSnapshotChunk(null)
            .setSnapshottedMembers(List.of())
            .setGroupMembersView(view())
            .setQuerySequenceNumber(1)
            .setFlowControlSequenceNumber(2)
            .build(),
        F.createInstallSnapshotResponseBuilder()
            .setGroupId("g1")
            .setSender(B)
            .setTerm(3)
            .setSnapshotIndex(40)
            .setRequestedSnapshotChunkIndex(1)
            .setQuerySequenceNumber(1)
            .setFlowControlSequenceNumber(2)
            .build(),
        F.createTriggerLeaderElectionRequestBuilder()
            .setGroupId("g1")
            .setSender(A)
            .setTerm(3)
            .setLastLogTerm(3)
            .setLastLogIndex(16)
            .build());
  }

  /** Through the wire form (a JSON string) and back gives the same message. */
  @ParameterizedTest
  @MethodSource("messages")
  void everyMessageTypeRoundTrips(RaftMessage m) {
    JsonObject encoded = CODEC.encode(m);
    RaftMessage decoded = CODEC.decode(new JsonObject(encoded.encode()));
    assertThat(decoded.getClass()).isEqualTo(m.getClass());
    assertThat(decoded.getSender()).isEqualTo(m.getSender());
    assertThat(decoded.getTerm()).isEqualTo(m.getTerm());
    assertThat(decoded.getGroupId()).isEqualTo(m.getGroupId());
    assertThat(CODEC.encode(decoded)).isEqualTo(encoded);
  }

  @Test
  void logEntriesKeepTheirOperations() {
    AppendEntriesRequest m = (AppendEntriesRequest) messages().skip(4).findFirst().orElseThrow();
    AppendEntriesRequest back =
        (AppendEntriesRequest) CODEC.decode(new JsonObject(CODEC.encode(m).encode()));
    assertThat(back.getLogEntries()).hasSize(7);
    for (int i = 0; i < 6; i++) {
      assertThat(back.getLogEntries().get(i).getOperation())
          .isEqualTo(m.getLogEntries().get(i).getOperation());
      assertThat(back.getLogEntries().get(i).getIndex()).isEqualTo(10 + i);
    }
    UpdateRaftGroupMembersOp op =
        (UpdateRaftGroupMembersOp) back.getLogEntries().get(6).getOperation();
    assertThat(op.getMembers()).containsExactly(A, B);
    assertThat(op.getVotingMembers()).containsExactly(A);
    assertThat(op.getEndpoint()).isEqualTo(B);
    assertThat(op.getMode()).isEqualTo(MembershipChangeMode.ADD_LEARNER);
  }

  @Test
  void snapshotChunksKeepTheirBytesAndView() {
    InstallSnapshotRequest m =
        (InstallSnapshotRequest) messages().skip(7).findFirst().orElseThrow();
    InstallSnapshotRequest back =
        (InstallSnapshotRequest) CODEC.decode(new JsonObject(CODEC.encode(m).encode()));
    assertThat((byte[]) back.getSnapshotChunk().getOperation())
        .containsExactly(1, 2, 3, (byte) 255);
    assertThat(back.getSnapshotChunk().getGroupMembersView().getMembers()).containsExactly(A, B);
    assertThat(back.getGroupMembersView().getVotingMembers()).containsExactly(A);
    assertThat(back.getSnapshottedMembers()).containsExactly(A, B);
    assertThat(back.isSenderLeader()).isTrue();
    VoteRequest v =
        (VoteRequest) CODEC.decode(CODEC.encode(messages().skip(2).findFirst().orElseThrow()));
    assertThat(v.isSticky()).isTrue();
    assertThat(v.getLastLogIndex()).isEqualTo(9);
  }

  @Test
  void malformedProposalsAreRejected() {
    JsonObject good =
        RaftCodec.encodeProposal(
            new Proposal("a/1", 3, new ChatCommand.Send("g", "u", "c", "m", "t", "n", 5)));
    assertThat(RaftCodec.decodeProposal(good).command()).isInstanceOf(ChatCommand.Send.class);
    for (String key : List.of("g", "u", "ci", "id", "x", "n", "ts", "o", "r", "c")) {
      JsonObject bad = good.copy();
      bad.remove(key);
      Assertions.assertThatThrownBy(() -> RaftCodec.decodeProposal(bad))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class);
      JsonObject wrongType =
          good.copy().put(key, key.equals("ts") || key.equals("r") ? (Object) "text" : (Object) 12);
      Assertions.assertThatThrownBy(() -> RaftCodec.decodeProposal(wrongType))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void endpointIdsParseBack() {
    assertThat(PodEndpoint.parse(A.getId())).isEqualTo(A);
    assertThat(PodEndpoint.parse("pod-x/abc/def")).isEqualTo(new PodEndpoint("pod-x", "abc/def"));
  }
}
