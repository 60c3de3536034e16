package io.kubechat.pod.raft.store;

import io.kubechat.pod.raft.PodEndpoint;
import io.kubechat.pod.raft.RaftCodec;
import io.microraft.RaftEndpoint;
import io.microraft.model.RaftModelFactory;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.persistence.RaftEndpointPersistentState;
import io.microraft.model.persistence.RaftTermPersistentState;
import io.microraft.persistence.RaftStoreSerializer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * How MicroRaft's persisted objects become bytes in the store: the same JSON as on the wire ({@link
 * RaftCodec}), so there is one encoding of entries, chunks and member lists to keep compatible.
 */
final class StoreSerializer implements RaftStoreSerializer {

  private final RaftModelFactory factory;
  private final RaftCodec codec;

  StoreSerializer(RaftModelFactory factory) {
    this.factory = factory;
    this.codec = new RaftCodec(factory);
  }

  @Override
  public Serializer<RaftGroupMembersView> raftGroupMembersViewSerializer() {
    return json(codec::encodeView, codec::decodeView);
  }

  @Override
  public Serializer<RaftEndpoint> raftEndpointSerializer() {
    return new Serializer<>() {
      @Override
      public byte[] serialize(RaftEndpoint e) {
        return e.getId().toString().getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public RaftEndpoint deserialize(byte[] bytes) {
        return PodEndpoint.parse(new String(bytes, StandardCharsets.UTF_8));
      }
    };
  }

  @Override
  public Serializer<LogEntry> logEntrySerializer() {
    return json(codec::encodeEntry, codec::decodeEntry);
  }

  @Override
  public Serializer<SnapshotChunk> snapshotChunkSerializer() {
    return json(codec::encodeChunk, codec::decodeChunk);
  }

  @Override
  public Serializer<RaftEndpointPersistentState> raftEndpointPersistentStateSerializer() {
    return json(
        s ->
            new JsonObject()
                .put("endpoint", s.getLocalEndpoint().getId().toString())
                .put("voting", s.isVoting()),
        j ->
            factory
                .createRaftEndpointPersistentStateBuilder()
                .setLocalEndpoint(PodEndpoint.parse(j.getString("endpoint")))
                .setVoting(j.getBoolean("voting"))
                .build());
  }

  @Override
  public Serializer<RaftTermPersistentState> raftTermPersistentState() {
    return json(
        s ->
            new JsonObject()
                .put("term", s.getTerm())
                .put("votedFor", s.getVotedFor() == null ? null : s.getVotedFor().getId()),
        j ->
            factory
                .createRaftTermPersistentStateBuilder()
                .setTerm(j.getInteger("term"))
                .setVotedFor(
                    j.getString("votedFor") == null
                        ? null
                        : PodEndpoint.parse(j.getString("votedFor")))
                .build());
  }

  private static <T> Serializer<T> json(
      Function<T, JsonObject> encode, Function<JsonObject, T> decode) {
    return new Serializer<>() {
      @Override
      public byte[] serialize(T element) {
        return encode.apply(element).toBuffer().getBytes();
      }

      @Override
      public T deserialize(byte[] bytes) {
        return decode.apply(new JsonObject(Buffer.buffer(bytes)));
      }
    };
  }
}
