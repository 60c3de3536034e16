package io.kubechat.pod.raft;

import io.kubechat.pod.chat.state.ChatCommand;
import io.microraft.MembershipChangeMode;
import io.microraft.RaftEndpoint;
import io.microraft.model.RaftModelFactory;
import io.microraft.model.groupop.UpdateRaftGroupMembersOp;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.message.AppendEntriesFailureResponse;
import io.microraft.model.message.AppendEntriesRequest;
import io.microraft.model.message.AppendEntriesSuccessResponse;
import io.microraft.model.message.InstallSnapshotRequest;
import io.microraft.model.message.InstallSnapshotResponse;
import io.microraft.model.message.PreVoteRequest;
import io.microraft.model.message.PreVoteResponse;
import io.microraft.model.message.RaftMessage;
import io.microraft.model.message.TriggerLeaderElectionRequest;
import io.microraft.model.message.VoteRequest;
import io.microraft.model.message.VoteResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * JSON form of every MicroRaft message and model object, with short keys: the clustered event bus
 * rejects Java serialization. Endpoints travel as their id ({@code node/incarnation}).
 */
public final class RaftCodec {

  private final RaftModelFactory factory;

  public RaftCodec(RaftModelFactory factory) {
    this.factory = factory;
  }

  // ---------------------------------------------------------------- messages

  public JsonObject encode(RaftMessage m) {
    JsonObject j =
        new JsonObject()
            .put("g", m.getGroupId())
            .put("s", m.getSender().getId())
            .put("t", m.getTerm());
    if (m instanceof AppendEntriesRequest r) {
      JsonArray entries = new JsonArray();
      for (LogEntry e : r.getLogEntries()) {
        entries.add(encodeEntry(e));
      }
      return j.put("T", "aer")
          .put("plt", r.getPreviousLogTerm())
          .put("pli", r.getPreviousLogIndex())
          .put("ci", r.getCommitIndex())
          .put("e", entries)
          .put("q", r.getQuerySequenceNumber())
          .put("f", r.getFlowControlSequenceNumber());
    } else if (m instanceof AppendEntriesSuccessResponse r) {
      return j.put("T", "aes")
          .put("lli", r.getLastLogIndex())
          .put("q", r.getQuerySequenceNumber())
          .put("f", r.getFlowControlSequenceNumber());
    } else if (m instanceof AppendEntriesFailureResponse r) {
      return j.put("T", "aef")
          .put("eni", r.getExpectedNextIndex())
          .put("q", r.getQuerySequenceNumber())
          .put("f", r.getFlowControlSequenceNumber());
    } else if (m instanceof InstallSnapshotRequest r) {
      return j.put("T", "isr")
          .put("sl", r.isSenderLeader())
          .put("st", r.getSnapshotTerm())
          .put("si", r.getSnapshotIndex())
          .put("tc", r.getTotalSnapshotChunkCount())
          .put("c", r.getSnapshotChunk() == null ? null : encodeChunk(r.getSnapshotChunk()))
          .put("sm", ids(r.getSnapshottedMembers()))
          .put("v", encodeView(r.getGroupMembersView()))
          .put("q", r.getQuerySequenceNumber())
          .put("f", r.getFlowControlSequenceNumber());
    } else if (m instanceof InstallSnapshotResponse r) {
      return j.put("T", "iss")
          .put("si", r.getSnapshotIndex())
          .put("rc", r.getRequestedSnapshotChunkIndex())
          .put("q", r.getQuerySequenceNumber())
          .put("f", r.getFlowControlSequenceNumber());
    } else if (m instanceof PreVoteRequest r) {
      return j.put("T", "pvq").put("llt", r.getLastLogTerm()).put("lli", r.getLastLogIndex());
    } else if (m instanceof PreVoteResponse r) {
      return j.put("T", "pvs").put("ok", r.isGranted());
    } else if (m instanceof VoteRequest r) {
      return j.put("T", "vq")
          .put("llt", r.getLastLogTerm())
          .put("lli", r.getLastLogIndex())
          .put("st", r.isSticky());
    } else if (m instanceof VoteResponse r) {
      return j.put("T", "vs").put("ok", r.isGranted());
    } else if (m instanceof TriggerLeaderElectionRequest r) {
      return j.put("T", "tle").put("llt", r.getLastLogTerm()).put("lli", r.getLastLogIndex());
    }
    throw new IllegalArgumentException("unknown Raft message " + m.getClass().getName());
  }

  public RaftMessage decode(JsonObject j) {
    String groupId = j.getString("g");
    RaftEndpoint sender = PodEndpoint.parse(j.getString("s"));
    int term = j.getInteger("t");
    String type = j.getString("T");
    switch (type) {
      case "aer":
        {
          List<LogEntry> entries = new ArrayList<>();
          for (Object e : j.getJsonArray("e")) {
            entries.add(decodeEntry((JsonObject) e));
          }
          return factory
              .createAppendEntriesRequestBuilder()
              .setGroupId(groupId)
              .setSender(sender)
              .setTerm(term)
              .setPreviousLogTerm(j.getInteger("plt"))
              .setPreviousLogIndex(j.getLong("pli"))
              .setCommitIndex(j.getLong("ci"))
              .setLogEntries(entries)
              .setQuerySequenceNumber(j.getLong("q"))
              .setFlowControlSequenceNumber(j.getLong("f"))
              .build();
        }
      case "aes":
        return factory
            .createAppendEntriesSuccessResponseBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setLastLogIndex(j.getLong("lli"))
            .setQuerySequenceNumber(j.getLong("q"))
            .setFlowControlSequenceNumber(j.getLong("f"))
            .build();
      case "aef":
        return factory
            .createAppendEntriesFailureResponseBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setExpectedNextIndex(j.getLong("eni"))
            .setQuerySequenceNumber(j.getLong("q"))
            .setFlowControlSequenceNumber(j.getLong("f"))
            .build();
      case "isr":
        {
          JsonObject chunk = j.getJsonObject("c");
          return factory
              .createInstallSnapshotRequestBuilder()
              .setGroupId(groupId)
              .setSender(sender)
              .setTerm(term)
              .setSenderLeader(j.getBoolean("sl"))
              .setSnapshotTerm(j.getInteger("st"))
              .setSnapshotIndex(j.getLong("si"))
              .setTotalSnapshotChunkCount(j.getInteger("tc"))
              .setSnapshotChunk(chunk == null ? null : decodeChunk(chunk))
              .setSnapshottedMembers(endpoints(j.getJsonArray("sm")))
              .setGroupMembersView(decodeView(j.getJsonObject("v")))
              .setQuerySequenceNumber(j.getLong("q"))
              .setFlowControlSequenceNumber(j.getLong("f"))
              .build();
        }
      case "iss":
        return factory
            .createInstallSnapshotResponseBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setSnapshotIndex(j.getLong("si"))
            .setRequestedSnapshotChunkIndex(j.getInteger("rc"))
            .setQuerySequenceNumber(j.getLong("q"))
            .setFlowControlSequenceNumber(j.getLong("f"))
            .build();
      case "pvq":
        return factory
            .createPreVoteRequestBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setLastLogTerm(j.getInteger("llt"))
            .setLastLogIndex(j.getLong("lli"))
            .build();
      case "pvs":
        return factory
            .createPreVoteResponseBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setGranted(j.getBoolean("ok"))
            .build();
      case "vq":
        return factory
            .createVoteRequestBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setLastLogTerm(j.getInteger("llt"))
            .setLastLogIndex(j.getLong("lli"))
            .setSticky(j.getBoolean("st"))
            .build();
      case "vs":
        return factory
            .createVoteResponseBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setGranted(j.getBoolean("ok"))
            .build();
      case "tle":
        return factory
            .createTriggerLeaderElectionRequestBuilder()
            .setGroupId(groupId)
            .setSender(sender)
            .setTerm(term)
            .setLastLogTerm(j.getInteger("llt"))
            .setLastLogIndex(j.getLong("lli"))
            .build();
      default:
        throw new IllegalArgumentException("unknown Raft message type " + type);
    }
  }

  // ---------------------------------------------------------------- model objects

  public JsonObject encodeEntry(LogEntry e) {
    return new JsonObject()
        .put("i", e.getIndex())
        .put("t", e.getTerm())
        .put("o", encodeOperation(e.getOperation()));
  }

  public LogEntry decodeEntry(JsonObject j) {
    return factory
        .createLogEntryBuilder()
        .setIndex(j.getLong("i"))
        .setTerm(j.getInteger("t"))
        .setOperation(decodeOperation(j.getJsonObject("o")))
        .build();
  }

  public JsonObject encodeChunk(SnapshotChunk c) {
    return new JsonObject()
        .put("i", c.getIndex())
        .put("t", c.getTerm())
        .put("o", encodeOperation(c.getOperation()))
        .put("ci", c.getSnapshotChunkIndex())
        .put("cc", c.getSnapshotChunkCount())
        .put("v", encodeView(c.getGroupMembersView()));
  }

  public SnapshotChunk decodeChunk(JsonObject j) {
    return factory
        .createSnapshotChunkBuilder()
        .setIndex(j.getLong("i"))
        .setTerm(j.getInteger("t"))
        .setOperation(decodeOperation(j.getJsonObject("o")))
        .setSnapshotChunkIndex(j.getInteger("ci"))
        .setSnapshotChunkCount(j.getInteger("cc"))
        .setGroupMembersView(decodeView(j.getJsonObject("v")))
        .build();
  }

  public JsonObject encodeView(RaftGroupMembersView v) {
    if (v == null) {
      return null;
    }
    return new JsonObject()
        .put("i", v.getLogIndex())
        .put("m", ids(v.getMembers()))
        .put("v", ids(v.getVotingMembers()));
  }

  public RaftGroupMembersView decodeView(JsonObject j) {
    if (j == null) {
      return null;
    }
    return factory
        .createRaftGroupMembersViewBuilder()
        .setLogIndex(j.getLong("i"))
        .setMembers(endpoints(j.getJsonArray("m")))
        .setVotingMembers(endpoints(j.getJsonArray("v")))
        .build();
  }

  /** Log operations: chat proposals, membership changes and snapshot chunk payloads. */
  public JsonObject encodeOperation(Object op) {
    if (op == null) {
      return null;
    } else if (op instanceof Proposal p) {
      return encodeProposal(p);
    } else if (op instanceof UpdateRaftGroupMembersOp u) {
      return new JsonObject()
          .put("k", "m")
          .put("m", ids(u.getMembers()))
          .put("v", ids(u.getVotingMembers()))
          .put("e", u.getEndpoint().getId())
          .put("mode", u.getMode().name());
    } else if (op instanceof byte[] bytes) {
      return new JsonObject().put("k", "b").put("b", bytes);
    }
    throw new IllegalArgumentException("unknown log operation " + op.getClass().getName());
  }

  public Object decodeOperation(JsonObject j) {
    if (j == null) {
      return null;
    }
    String kind = j.getString("k");
    switch (kind) {
      case "p":
        return decodeProposal(j);
      case "m":
        return factory
            .createUpdateRaftGroupMembersOpBuilder()
            .setMembers(endpoints(j.getJsonArray("m")))
            .setVotingMembers(endpoints(j.getJsonArray("v")))
            .setEndpoint(PodEndpoint.parse(j.getString("e")))
            .setMode(MembershipChangeMode.valueOf(j.getString("mode")))
            .build();
      case "b":
        return j.getBinary("b");
      default:
        throw new IllegalArgumentException("unknown log operation kind " + kind);
    }
  }

  public static JsonObject encodeProposal(Proposal p) {
    JsonObject j = new JsonObject().put("k", "p").put("o", p.origin()).put("r", p.requestId());
    ChatCommand c = p.command();
    if (c instanceof ChatCommand.Send s) {
      return j.put("c", "send")
          .put("g", s.group())
          .put("u", s.user())
          .put("ci", s.clientId())
          .put("id", s.id())
          .put("x", s.text())
          .put("n", s.node())
          .put("ts", s.ts());
    } else if (c instanceof ChatCommand.Join jn) {
      return j.put("c", "join")
          .put("g", jn.group())
          .put("u", jn.user())
          .put("ci", jn.clientId())
          .put("n", jn.node())
          .put("since", jn.since())
          .put("ep", jn.epoch());
    } else if (c instanceof ChatCommand.Leave l) {
      return j.put("c", "leave")
          .put("g", l.group())
          .put("u", l.user())
          .put("ci", l.clientId())
          .put("n", l.node())
          .put("why", l.reason());
    } else if (c instanceof ChatCommand.DropNode d) {
      return j.put("c", "drop").put("n", d.node());
    } else if (c instanceof ChatCommand.Seed sd) {
      return j.put("c", "seed").put("pt", sd.part()).put("b", sd.chunk());
    }
    return j.put("c", "noop");
  }

  /** Fails with IllegalArgumentException on anything but a well-formed proposal. */
  public static Proposal decodeProposal(JsonObject j) {
    String kind = str(j, "c");
    ChatCommand c =
        switch (kind) {
          case "send" ->
              new ChatCommand.Send(
                  str(j, "g"),
                  str(j, "u"),
                  str(j, "ci"),
                  str(j, "id"),
                  str(j, "x"),
                  str(j, "n"),
                  num(j, "ts"));
          case "join" ->
              new ChatCommand.Join(
                  str(j, "g"),
                  str(j, "u"),
                  str(j, "ci"),
                  str(j, "n"),
                  num(j, "since"),
                  j.getString("ep"));
          case "leave" ->
              new ChatCommand.Leave(
                  str(j, "g"), str(j, "u"), str(j, "ci"), str(j, "n"), str(j, "why"));
          case "drop" -> new ChatCommand.DropNode(str(j, "n"));
          case "noop" -> new ChatCommand.NoOp();
          case "seed" -> new ChatCommand.Seed((int) num(j, "pt"), bytes(j, "b"));
          default -> throw new IllegalArgumentException("unknown command " + kind);
        };
    return new Proposal(str(j, "o"), num(j, "r"), c);
  }

  private static byte[] bytes(JsonObject j, String key) {
    try {
      byte[] b = j.getBinary(key);
      if (b == null) {
        throw new IllegalArgumentException("missing: " + key);
      }
      return b;
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("not base64: " + key, e);
    }
  }

  private static String str(JsonObject j, String key) {
    Object v = j.getValue(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("missing or not a string: " + key);
    }
    return s;
  }

  private static long num(JsonObject j, String key) {
    Object v = j.getValue(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("missing or not a number: " + key);
    }
    return n.longValue();
  }

  static JsonArray ids(Collection<RaftEndpoint> endpoints) {
    JsonArray a = new JsonArray();
    for (RaftEndpoint e : endpoints) {
      a.add(e.getId());
    }
    return a;
  }

  static List<RaftEndpoint> endpoints(JsonArray ids) {
    List<RaftEndpoint> out = new ArrayList<>(ids.size());
    for (Object id : ids) {
      out.add(PodEndpoint.parse((String) id));
    }
    return out;
  }
}
