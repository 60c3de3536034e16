package io.kubechat.pod.eventbus;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's NIO transport with one addition: every connection accepted by the clustered event bus's
 * server gets a {@link FrameGuard} in its Netty pipeline, right behind the TLS handler (or first
 * without TLS), before Vert.x's own handler. The event bus offers no hook of its own: it creates
 * its server and connect handler internally. The transport is the one place Vert.x lets an
 * application see a server's Netty bootstrap, with the server's options: the event-bus server is
 * the non-HTTP server on the event-bus host and port. HTTP servers and all clients are left
 * untouched.
 */
public final class GuardedTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedTransport.class);
  static final String GUARD_NAME = "kubechat-frame-guard";
  static final String FRAMER_NAME = "kubechat-framer";

  private final String host;
  private final int port;
  private final Supplier<ChannelHandler> guards;
  private final int maxFrameBytes;

  /**
   * @param host the event-bus host ({@code EventBusOptions.getHost()})
   * @param port the event-bus port
   * @param maxFrameBytes the largest frame (after the length prefix) accepted
   * @param guards a new {@link FrameGuard} per connection
   */
  GuardedTransport(String host, int port, int maxFrameBytes, Supplier<ChannelHandler> guards) {
    this.maxFrameBytes = maxFrameBytes;
    this.host = host;
    this.port = port;
    this.guards = guards;
  }

  @Override
  public String name() {
    return "nio+kubechat-frame-guard";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public GuardedTransportSpi implementation() {
    return new GuardedTransportSpi(Transport.NIO.implementation(), this::configureServer);
  }

  /** Puts the guard into the event-bus server's connections (other servers unchanged). */
  private void configureServer(NetServerOptions options, boolean domainSocket, ServerBootstrap b) {
    if (!domainSocket && isEventBusServer(options)) {
      b.childHandler(guarded(b.config().childHandler(), options.isSsl()));
    }
  }

  private boolean isEventBusServer(NetServerOptions options) {
    return !(options instanceof HttpServerOptions)
        && options.getPort() == port
        && host.equals(options.getHost());
  }

  /** Inserts the guard after Vert.x's initializer has built the pipeline (synchronously). */
  private ChannelHandler guarded(ChannelHandler original, boolean ssl) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast(original);
        ChannelHandlerContext tls = ch.pipeline().context(SslHandler.class);
        if (tls != null) {
          ch.pipeline().addAfter(tls.name(), GUARD_NAME, guards.get());
          ch.pipeline().addAfter(tls.name(), FRAMER_NAME, FrameGuard.framer(maxFrameBytes));
        } else if (ssl) {
          // never let a TLS connection through unguarded or with the guard before decryption
          LOG.error("event-bus connection without a TLS handler in its pipeline: closed");
          ch.close();
        } else {
          ch.pipeline().addFirst(GUARD_NAME, guards.get());
          ch.pipeline().addFirst(FRAMER_NAME, FrameGuard.framer(maxFrameBytes));
        }
      }
    };
  }
}
