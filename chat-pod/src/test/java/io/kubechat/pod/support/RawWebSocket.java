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
  private final InputStream in;

  /** A frame the server sent: its opcode and unmasked payload. */
  public record Frame(int opcode, byte[] payload) {
    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, 1005 when it has none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
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
    InputStream in = ws.in;
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
    sendFrame(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Writes one masked ping control frame. */
  public void sendPing(byte[] payload) throws IOException {
    sendFrame(0x9, payload, true);
  }

  /**
   * Writes one masked frame of any opcode with raw payload bytes (invalid UTF-8 in a text frame, a
   * fragment with {@code fin} false, a continuation frame with opcode 0).
   */
  public void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write((fin ? 0x80 : 0) | opcode);
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

  /** Reads the next frame the server sends (blocking up to the socket timeout, 5 s). */
  public Frame readFrame() throws IOException {
    int b0 = readByte();
    int b1 = readByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = ((long) readByte() << 8) | readByte();
    } else if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; i++) {
        len = (len << 8) | readByte();
      }
    }
    byte[] payload = in.readNBytes((int) len);
    if (payload.length < len) {
      throw new IOException("closed inside a frame");
    }
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads frames until the server's close frame and returns its status code. */
  public int awaitCloseCode() throws IOException {
    while (true) {
      Frame f = readFrame();
      if (f.opcode() == Frame.CLOSE) {
        return f.closeCode();
      }
    }
  }

  private int readByte() throws IOException {
    int c = in.read();
    if (c < 0) {
      throw new IOException("connection closed");
    }
    return c;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
