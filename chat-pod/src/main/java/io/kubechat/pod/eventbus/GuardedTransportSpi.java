package io.kubechat.pod.eventbus;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's transport SPI, delegated unchanged but for one step: after a server's bootstrap is
 * configured, {@code servers} may change it ({@link GuardedTransport} guards the event bus's).
 */
final class GuardedTransportSpi implements Transport {
  /** Sees every server's bootstrap after the delegate configured it. */
  interface ServerConfigurer {
    void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap);
  }

  private final Transport delegate;
  private final ServerConfigurer servers;

  GuardedTransportSpi(Transport delegate, ServerConfigurer servers) {
    this.delegate = delegate;
    this.servers = servers;
  }

  /**
   * kubechat binds and connects TCP only; without domain sockets the interface's own {@code
   * convert} methods (inet addresses) are all that is needed.
   */
  @Override
  public boolean supportsDomainSockets() {
    return false;
  }

  @Override
  public boolean supportFileRegion() {
    return delegate.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return delegate.ioHandlerFactory();
  }

  @Override
  public EventLoopGroup eventLoopGroup(
      int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
  }

  @Override
  public DatagramChannel datagramChannel() {
    return delegate.datagramChannel();
  }

  @Override
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return delegate.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
    return delegate.channelFactory(domainSocket);
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    return delegate.serverChannelFactory(domainSocket);
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    delegate.configure(channel, options);
  }

  @Override
  public void configure(
      ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
    delegate.configure(options, connectTimeout, domainSocket, bootstrap);
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    delegate.configure(options, domainSocket, bootstrap);
    servers.configure(options, domainSocket, bootstrap);
  }
}
