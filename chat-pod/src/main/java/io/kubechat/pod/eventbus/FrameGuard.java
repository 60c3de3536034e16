package io.kubechat.pod.eventbus;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Checks every frame an event-bus peer sends before Vert.x's decoder sees it, without buffering
 * anything: it only counts the bytes that pass. Vert.x's clustered event bus reads a 4-byte length
 * and then buffers that many bytes (a {@code RecordParser} in fixed-size mode), so a length prefix
 * alone decides how much it keeps: 0x7fffffff makes it grow a buffer towards 2 GiB, and 0 or a
 * negative length throws. The guard closes the connection instead when the length is outside
 * 1..max, and when the first bytes of a frame are not a Vert.x wire message this pod could read:
 * the protocol version (1 or 2) and a system codec (kubechat registers no codec of its own, so a
 * user codec, -1, is refused too). Whatever else is malformed in a frame is caught when Vert.x
 * decodes it ({@link InboundFailures}).
 *
 * <p>One instance per connection (it keeps the position within the current frame); runs on the
 * connection's event loop, behind the TLS handler when there is one.
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {
  /** What a refused frame was. */
  enum Violation {
    LENGTH,
    NOT_A_MESSAGE
  }

  /** Told once per refused connection. */
  interface Refusals {
    void refused(ChannelHandlerContext ctx, Violation violation, String detail);
  }

  private static final int MAX_WIRE_VERSION = 2;

  private final int maxFrameBytes;
  private final int systemCodecs;
  private final Refusals refusals;
  private final InboundFailures failures;

  /** Bytes of the current length prefix read so far (0-3), and its value so far. */
  private int prefixRead;

  private int prefix;

  /** Body bytes of the current frame already passed, and its length (0: reading a prefix). */
  private int bodyRead;

  private int bodyLength;
  private boolean refused;

  FrameGuard(int maxFrameBytes, int systemCodecs, Refusals refusals, InboundFailures failures) {
    this.maxFrameBytes = maxFrameBytes;
    this.systemCodecs = systemCodecs;
    this.refusals = refusals;
    this.failures = failures;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (refused || !check(ctx, buf)) {
      buf.release();
      return;
    }
    failures.decodingFor(ctx.channel(), () -> ctx.fireChannelRead(buf));
  }

  /** Advances through {@code buf}'s bytes; false (and the connection closed) if one is refused. */
  private boolean check(ChannelHandlerContext ctx, ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    while (i < end) {
      if (bodyLength == 0) {
        prefix = (prefix << 8) | (buf.getByte(i++) & 0xff);
        if (++prefixRead == 4) {
          if (prefix < 1 || prefix > maxFrameBytes) {
            return refuse(
                ctx,
                Violation.LENGTH,
                "frame length "
                    + Integer.toUnsignedString(prefix)
                    + " (at most "
                    + maxFrameBytes
                    + ")");
          }
          bodyLength = prefix;
          bodyRead = 0;
          prefixRead = 0;
          prefix = 0;
        }
        continue;
      }
      if (bodyRead < 2) {
        byte b = buf.getByte(i);
        if (bodyRead == 0 && (b < 1 || b > MAX_WIRE_VERSION)) {
          return refuse(ctx, Violation.NOT_A_MESSAGE, "wire protocol version " + b);
        }
        if (bodyRead == 1 && (b < 0 || b >= systemCodecs)) {
          return refuse(ctx, Violation.NOT_A_MESSAGE, "message codec " + b);
        }
        i++;
        bodyRead++;
      } else {
        int skip = Math.min(bodyLength - bodyRead, end - i);
        i += skip;
        bodyRead += skip;
      }
      if (bodyRead == bodyLength) {
        bodyLength = 0;
      }
    }
    return true;
  }

  private boolean refuse(ChannelHandlerContext ctx, Violation violation, String detail) {
    refused = true;
    refusals.refused(ctx, violation, detail);
    ctx.close();
    return false;
  }
}
