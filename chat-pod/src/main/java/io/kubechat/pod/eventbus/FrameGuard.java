package io.kubechat.pod.eventbus;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Checks every frame an event-bus peer sends before Vert.x's decoder sees it. Vert.x's clustered
 * event bus reads a 4-byte length and then buffers that many bytes (a {@code RecordParser} in
 * fixed-size mode), so a length prefix alone decides how much it keeps: 0x7fffffff makes it grow a
 * buffer towards 2 GiB, and 0 or a negative length throws. In front of it, a Netty {@link
 * LengthFieldBasedFrameDecoder} (fail-fast) cuts the stream into frames of at most the maximum and
 * fails as soon as a prefix says more, before buffering anything of it; this handler then checks
 * each complete frame ({@link WireFormat}) and hands it on unchanged, or closes the connection.
 * Whatever Vert.x still cannot decode is caught by {@link InboundFailures}.
 *
 * <p>One instance per connection; runs on the connection's event loop, behind the TLS handler when
 * there is one.
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {
  /** What a refused frame was. */
  enum Violation {
    LENGTH,
    NOT_A_MESSAGE,
    /** Not what the peer sent but how: a reset or another socket error. */
    CONNECTION_ERROR
  }

  /** Told once per refused connection. */
  interface Refusals {
    void refused(ChannelHandlerContext ctx, Violation violation, String detail);
  }

  private final Refusals refusals;
  private final InboundFailures failures;
  private boolean refused;

  FrameGuard(Refusals refusals, InboundFailures failures) {
    this.refusals = refusals;
    this.failures = failures;
  }

  /** The decoder that must run just before this guard. */
  static LengthFieldBasedFrameDecoder framer(int maxFrameBytes) {
    // the whole frame, prefix included, is handed on: Vert.x reads the prefix itself
    return new LengthFieldBasedFrameDecoder(maxFrameBytes + 4, 0, 4, 0, 0, true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (refused) {
      frame.release();
      return;
    }
    String problem = WireFormat.problem(frame);
    if (problem != null) {
      boolean length = frame.getInt(frame.readerIndex()) < WireFormat.MIN_FRAME;
      frame.release();
      refuse(ctx, length ? Violation.LENGTH : Violation.NOT_A_MESSAGE, problem);
      return;
    }
    failures.decodingFor(ctx.channel(), () -> ctx.fireChannelRead(frame));
  }

  /**
   * The framer fails on a length prefix that is negative or over the maximum. Socket errors (a
   * reset) are handled here too: Vert.x would log each one, at a rate a stranger chooses.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!refused) {
      boolean framing =
          cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException;
      refuse(ctx, framing ? Violation.LENGTH : Violation.CONNECTION_ERROR, String.valueOf(cause));
    }
  }

  private void refuse(ChannelHandlerContext ctx, Violation violation, String detail) {
    refused = true;
    refusals.refused(ctx, violation, detail);
    ctx.close();
  }
}
