package io.kubechat.pod.eventbus;

import io.netty.buffer.ByteBuf;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.impl.CodecManager;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Checks that a complete event-bus frame is a Vert.x 5 clustered message whose every length field
 * fits inside the frame, before Vert.x decodes it. Vert.x's decoder trusts those fields: each
 * string and body is read with {@code Buffer.getBytes(pos, pos + length)}, which allocates {@code
 * length} bytes before it checks the bounds, so one frame of 200 bytes whose address length says 2
 * GiB throws {@code OutOfMemoryError}. Reading only with index accessors, this class allocates
 * nothing.
 *
 * <p>The layout (Vert.x 5.0.x {@code ClusteredMessage.readFromWire} and the system codecs): version
 * (1 byte, 1 or 2), codec (1 byte), send flag (1), address, reply address (length 0: none), sender
 * node id (each a 4-byte length and UTF-8), the headers (a 4-byte length that counts itself, then a
 * count and key/value strings), the body as the codec writes it. Only Vert.x's system codecs are
 * accepted, and not the two that deserialize objects (kubechat sends JSON, strings, buffers and
 * Vert.x's own pings and reply failures): a user codec (-1) or an unknown one is refused.
 */
final class WireFormat {
  /** Version, codec, send flag, three string lengths and the headers' length. */
  static final int MIN_FRAME = 1 + 1 + 1 + 4 + 4 + 4 + 4;

  /** How a codec's body is laid out on the wire. */
  private enum Body {
    NONE,
    LENGTH_PREFIXED,
    FIXED_1,
    FIXED_2,
    FIXED_4,
    FIXED_8,
    REPLY_FAILURE
  }

  /**
   * The accepted codecs by the id Vert.x writes ({@code systemCodecID()}, not their order), taken
   * from Vert.x's own codec objects; null entries are refused.
   */
  private static final Body[] BODIES = bodies();

  private static Body[] bodies() {
    Map<MessageCodec<?, ?>, Body> shapes = new IdentityHashMap<>();
    shapes.put(CodecManager.NULL_MESSAGE_CODEC, Body.NONE);
    shapes.put(CodecManager.PING_MESSAGE_CODEC, Body.NONE);
    shapes.put(CodecManager.STRING_MESSAGE_CODEC, Body.LENGTH_PREFIXED);
    shapes.put(CodecManager.BUFFER_MESSAGE_CODEC, Body.LENGTH_PREFIXED);
    shapes.put(CodecManager.JSON_OBJECT_MESSAGE_CODEC, Body.LENGTH_PREFIXED);
    shapes.put(CodecManager.JSON_ARRAY_MESSAGE_CODEC, Body.LENGTH_PREFIXED);
    shapes.put(CodecManager.BYTE_ARRAY_MESSAGE_CODEC, Body.LENGTH_PREFIXED);
    shapes.put(CodecManager.BOOLEAN_MESSAGE_CODEC, Body.FIXED_1);
    shapes.put(CodecManager.BYTE_MESSAGE_CODEC, Body.FIXED_1);
    shapes.put(CodecManager.SHORT_MESSAGE_CODEC, Body.FIXED_2);
    shapes.put(CodecManager.CHAR_MESSAGE_CODEC, Body.FIXED_2);
    shapes.put(CodecManager.INT_MESSAGE_CODEC, Body.FIXED_4);
    shapes.put(CodecManager.FLOAT_MESSAGE_CODEC, Body.FIXED_4);
    shapes.put(CodecManager.LONG_MESSAGE_CODEC, Body.FIXED_8);
    shapes.put(CodecManager.DOUBLE_MESSAGE_CODEC, Body.FIXED_8);
    shapes.put(CodecManager.REPLY_EXCEPTION_MESSAGE_CODEC, Body.REPLY_FAILURE);
    // the (cluster-)serializable codecs deserialize objects: not accepted
    Body[] byId = new Body[Byte.MAX_VALUE + 1];
    shapes.forEach((codec, body) -> byId[codec.systemCodecID()] = body);
    return byId;
  }

  private WireFormat() {}

  /**
   * Why {@code frame} (a 4-byte length prefix and that many bytes, from its reader index) is not a
   * message this pod reads, or null if it is one.
   */
  static String problem(ByteBuf frame) {
    int start = frame.readerIndex();
    int length = frame.getInt(start);
    if (length < MIN_FRAME) {
      return "frame length " + length + " (at least " + MIN_FRAME + ")";
    }
    Cursor c = new Cursor(frame, start + 4, start + 4 + length);
    int version = c.u8();
    if (version < 1 || version > 2) {
      return "wire protocol version " + version;
    }
    int codec = frame.getByte(c.pos++);
    Body body = codec < 0 ? null : BODIES[codec];
    if (body == null) {
      return "message codec " + codec + " (only Vert.x's built-in, non-serializing codecs)";
    }
    c.pos++; // send or publish
    if (!c.string() || !c.replyAddress() || !c.string() || !c.headers()) {
      return "a length field beyond the end of the frame";
    }
    if (!c.body(body)) {
      return "a body that does not fit the frame";
    }
    return null;
  }

  /** A read position within [pos, end) of one frame. */
  private static final class Cursor {
    private final ByteBuf buf;
    private final int end;
    private int pos;

    Cursor(ByteBuf buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    int u8() {
      return buf.getByte(pos++);
    }

    boolean has(long n) {
      return n >= 0 && pos + n <= end;
    }

    /** A 4-byte length and that many bytes. */
    boolean string() {
      return stringWithin(end);
    }

    private boolean stringWithin(int limit) {
      if (pos + 4 > limit) {
        return false;
      }
      int n = buf.getInt(pos);
      pos += 4;
      if (n < 0 || pos + (long) n > limit) {
        return false;
      }
      pos += n;
      return true;
    }

    /** A length, and the address only if the length is not 0. */
    boolean replyAddress() {
      return string();
    }

    /** A length counting itself (4: no headers), then a count and that many key/value strings. */
    boolean headers() {
      if (!has(4)) {
        return false;
      }
      int total = buf.getInt(pos);
      if (total < 4 || !has(total)) {
        return false;
      }
      int limit = pos + total;
      if (total == 4) {
        pos = limit;
        return true;
      }
      if (pos + 8 > limit) {
        return false;
      }
      int count = buf.getInt(pos + 4);
      pos += 8;
      for (int i = 0; i < count; i++) {
        if (!stringWithin(limit) || !stringWithin(limit)) {
          return false;
        }
      }
      pos = limit;
      return count >= 0;
    }

    boolean body(Body body) {
      switch (body) {
        case NONE:
          return true;
        case LENGTH_PREFIXED:
          return string();
        case FIXED_1:
          return has(1);
        case FIXED_2:
          return has(2);
        case FIXED_4:
          return has(4);
        case FIXED_8:
          return has(8);
        default:
          break;
      }
      // reply failure: type (1), code (4), message null flag (1), then the message if not null
      if (!has(6)) {
        return false;
      }
      boolean isNull = buf.getByte(pos + 5) == 0;
      pos += 6;
      return isNull || string();
    }
  }
}
