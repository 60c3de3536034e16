package io.kubechat.pod.eventbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames as Vert.x 5's clustered event bus writes them pass; the same frames with a length field
 * that points beyond the frame, or naming a codec kubechat does not accept, are refused.
 */
class WireFormatTest {

  private static byte[] wire(Object body, MessageCodec<?, ?> codec, MultiMap headers) {
    return WireFrames.frame("kubechat.raft.pod-1", headers, body, codec);
  }

  private static String problem(byte[] frame) {
    ByteBuf b = Unpooled.wrappedBuffer(frame);
    try {
      return WireFormat.problem(b);
    } finally {
      b.release();
    }
  }

  @Test
  void everyMessageKubechatSendsPasses() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("kind", "append").add("to", "m-1");
    List<Object[]> bodies =
        List.of(
            new Object[] {null, CodecManager.NULL_MESSAGE_CODEC},
            new Object[] {"ping", CodecManager.PING_MESSAGE_CODEC},
            new Object[] {"text", CodecManager.STRING_MESSAGE_CODEC},
            new Object[] {Buffer.buffer("raft bytes"), CodecManager.BUFFER_MESSAGE_CODEC},
            new Object[] {new JsonObject().put("a", 1), CodecManager.JSON_OBJECT_MESSAGE_CODEC},
            new Object[] {new JsonArray().add(1), CodecManager.JSON_ARRAY_MESSAGE_CODEC},
            new Object[] {new byte[] {1, 2, 3}, CodecManager.BYTE_ARRAY_MESSAGE_CODEC},
            new Object[] {42L, CodecManager.LONG_MESSAGE_CODEC},
            new Object[] {true, CodecManager.BOOLEAN_MESSAGE_CODEC},
            new Object[] {
              new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 3, "no leader"),
              CodecManager.REPLY_EXCEPTION_MESSAGE_CODEC
            },
            new Object[] {
              new ReplyException(ReplyFailure.TIMEOUT, 0, null),
              CodecManager.REPLY_EXCEPTION_MESSAGE_CODEC
            });
    for (Object[] b : bodies) {
      for (MultiMap h : List.of(headers, MultiMap.caseInsensitiveMultiMap())) {
        byte[] frame = wire(b[0], (MessageCodec<?, ?>) b[1], h);
        assertThat(problem(frame)).as("%s with %s", b[1].getClass().getSimpleName(), h).isNull();
      }
    }
  }

  @Test
  void aLengthFieldBeyondTheFrameIsRefusedWhereverItIs() {
    byte[] good =
        wire(
            new JsonObject().put("text", "hello"),
            CodecManager.JSON_OBJECT_MESSAGE_CODEC,
            MultiMap.caseInsensitiveMultiMap().add("kind", "cmd"));
    assertThat(problem(good)).isNull();
    int refused = 0;
    // overwrite every 4-byte window after the version, codec and send bytes with 0x7fffffff: each
    // one that is a length field must be refused; none may throw
    for (int at = 7; at + 4 <= good.length; at++) {
      byte[] bad = good.clone();
      bad[at] = 0x7f;
      bad[at + 1] = (byte) 0xff;
      bad[at + 2] = (byte) 0xff;
      bad[at + 3] = (byte) 0xff;
      if (problem(bad) != null) {
        refused++;
      }
    }
    // address, reply address, sender, headers, header count, 2 x (key, value)... and the body
    assertThat(refused).isGreaterThanOrEqualTo(6);
    byte[] negative = good.clone();
    negative[7] = (byte) 0xff;
    assertThat(problem(negative)).isNotNull();
  }

  @Test
  void unknownOrDeserializingCodecsAndOtherVersionsAreRefused() {
    byte[] good = wire("x", CodecManager.STRING_MESSAGE_CODEC, MultiMap.caseInsensitiveMultiMap());
    for (byte codec : new byte[] {-1, 16, 17, 18, 100, 127}) {
      byte[] bad = good.clone();
      bad[5] = codec;
      assertThat(problem(bad)).as("codec %d", codec).contains("codec");
    }
    for (byte version : new byte[] {0, 3, -7}) {
      byte[] bad = good.clone();
      bad[4] = version;
      assertThat(problem(bad)).as("version %d", version).contains("version");
    }
    assertThat(problem(new byte[] {0, 0, 0, 3, 2, 2, 0})).contains("frame length");
  }
}
