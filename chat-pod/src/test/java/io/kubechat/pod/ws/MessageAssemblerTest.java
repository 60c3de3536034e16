package io.kubechat.pod.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {
  final List<String> events = new ArrayList<>();
  final MessageAssembler assembler =
      new MessageAssembler(
          16,
          new MessageAssembler.Listener() {
            @Override
            public void onText(String text) {
              events.add("text:" + text);
            }

            @Override
            public void onBinary() {
              events.add("binary");
            }

            @Override
            public void onControl() {
              events.add("control");
            }

            @Override
            public void onTooLarge() {
              events.add("too-large");
            }

            @Override
            public void onInvalidUtf8() {
              events.add("invalid-utf8");
            }
          });

  static Buffer bytes(int... b) {
    Buffer out = Buffer.buffer();
    for (int x : b) {
      out.appendByte((byte) x);
    }
    return out;
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsJoinedAndPingsMayComeBetween() {
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    assembler.handle(WebSocketFrame.textFrame("h", false));
    assembler.handle(WebSocketFrame.continuationFrame(bytes(e[0]), false));
    assembler.handle(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    assembler.handle(WebSocketFrame.continuationFrame(bytes(e[1]), true));
    assertThat(events).containsExactly("control", "text:hé");
  }

  @Test
  void invalidOrTruncatedUtf8IsReported() {
    assembler.handle(WebSocketFrame.binaryFrame(bytes(0x7b), true));
    assembler.handle(WebSocketFrame.textFrame("a", false));
    assembler.handle(WebSocketFrame.continuationFrame(bytes(0xC3), true)); // truncated
    assembler.handle(WebSocketFrame.textFrame("ok", true));
    assertThat(events).containsExactly("binary", "invalid-utf8", "text:ok");
  }

  @Test
  void aMessageOverTheLimitIsDroppedOnceAndTheNextOneIsRead() {
    assembler.handle(WebSocketFrame.textFrame("0123456789", false));
    assembler.handle(WebSocketFrame.continuationFrame(Buffer.buffer("0123456789"), false));
    assembler.handle(WebSocketFrame.continuationFrame(Buffer.buffer("0123456789"), true));
    assembler.handle(WebSocketFrame.textFrame("0123456789abcdef", true));
    assertThat(events).containsExactly("too-large", "text:0123456789abcdef");
  }
}
