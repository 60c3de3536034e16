package io.kubechat.pod.ws;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the WebSocket frames of one connection into messages, in place of Vert.x's own text
 * aggregation, which decodes invalid UTF-8 into replacement characters instead of failing (RFC 6455
 * 8.1 requires the connection to be failed, close code 1007) and does not show control frames.
 * Continuation frames are joined up to {@code maxMessageBytes}; a text message is decoded strictly.
 * Runs on the connection's event loop; one instance per connection.
 */
final class MessageAssembler implements Handler<WebSocketFrame> {

  /** What the session does with each outcome. */
  interface Listener {
    void onText(String text);

    void onBinary();

    /** A ping or pong from the client (Vert.x answers pings itself). */
    void onControl();

    /** A fragmented message grew past the limit; it is dropped. */
    void onTooLarge();

    /** A text message that is not valid UTF-8. */
    void onInvalidUtf8();
  }

  private final int maxMessageBytes;
  private final Listener listener;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** The message being joined: null when none; its kind; whether it already overflowed. */
  private Buffer pending;

  private boolean pendingText;
  private boolean overflowed;

  MessageAssembler(int maxMessageBytes, Listener listener) {
    this.maxMessageBytes = maxMessageBytes;
    this.listener = listener;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    switch (frame.type()) {
      case PING, PONG -> listener.onControl();
      case TEXT, BINARY -> {
        pending = Buffer.buffer();
        pendingText = frame.isText();
        overflowed = false;
        append(frame);
      }
      case CONTINUATION -> {
        if (pending != null) {
          append(frame);
        }
      }
      default -> {
        // CLOSE: Vert.x completes the closing handshake
      }
    }
  }

  private void append(WebSocketFrame frame) {
    if (!overflowed) {
      Buffer data = frame.binaryData();
      if (pending.length() + data.length() > maxMessageBytes) {
        overflowed = true;
        pending = Buffer.buffer();
      } else {
        pending.appendBuffer(data);
      }
    }
    if (frame.isFinal()) {
      Buffer message = pending;
      pending = null;
      if (overflowed) {
        listener.onTooLarge();
      } else if (!pendingText) {
        listener.onBinary();
      } else {
        deliverText(message);
      }
    }
  }

  private void deliverText(Buffer message) {
    String text;
    try {
      text = utf8.reset().decode(ByteBuffer.wrap(message.getBytes())).toString();
    } catch (CharacterCodingException e) {
      listener.onInvalidUtf8();
      return;
    }
    listener.onText(text);
  }
}
