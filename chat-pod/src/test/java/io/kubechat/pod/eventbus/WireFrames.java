package io.kubechat.pod.eventbus;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import io.vertx.core.internal.buffer.BufferInternal;

/** Event-bus frames exactly as Vert.x writes them (its own encoder), for tests. */
final class WireFrames {
  private WireFrames() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static byte[] frame(String address, MultiMap headers, Object body, MessageCodec<?, ?> codec) {
    ClusteredMessage<?, ?> m =
        new ClusteredMessage("node-7f3a", address, headers, body, codec, true, null);
    return ((BufferInternal) m.encodeToWire()).getBytes();
  }
}
