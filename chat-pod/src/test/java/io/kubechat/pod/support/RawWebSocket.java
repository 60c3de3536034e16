package io.kubechat.pod.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client done by hand over a plain socket, so a test can write frames and then simply
 * never read: the way a stuck or slow client behaves.
 */
public final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /** Connects with a tiny receive buffer and completes the handshake (reads only its response). */
  public static RawWebSocket connect(String host, int port) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress(host, port), 3000);
    s.setSoTimeout(5000);
    RawWebSocket ws = new RawWebSocket(s);
    ws.out.write(
        ("GET /ws HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed during handshake: " + head);
      }
      head.append((char) c);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
    return ws;
  }

  /** Writes one masked text frame (clients must mask). */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(0x81);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    } else {
      throw new IllegalArgumentException("frame too large for this helper");
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
