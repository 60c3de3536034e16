package io.kubechat.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatMessage;
import io.kubechat.client.Gap;
import io.kubechat.client.Presence;
import io.kubechat.client.Reset;
import io.kubechat.client.ServerInfo;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {
  private final FrameCodec codec = new FrameCodec();

  @Test
  void encodesClientFrames() {
    assertThat(new JsonObject(codec.hello("alice", "c-1", null)))
        .isEqualTo(
            new JsonObject().put("type", "hello").put("user", "alice").put("clientId", "c-1"));
    // with a token the user may be left to the token's subject
    assertThat(new JsonObject(codec.hello(null, "c-1", "t.o.k")))
        .isEqualTo(
            new JsonObject().put("type", "hello").put("clientId", "c-1").put("token", "t.o.k"));
    assertThat(new JsonObject(codec.auth("t.o.k2")))
        .isEqualTo(new JsonObject().put("type", "auth").put("token", "t.o.k2"));
    assertThat(new JsonObject(codec.join("g", null, null)))
        .isEqualTo(new JsonObject().put("type", "join").put("group", "g"));
    assertThat(new JsonObject(codec.join("g", 5L, "e1")))
        .isEqualTo(
            new JsonObject()
                .put("type", "join")
                .put("group", "g")
                .put("since", 5)
                .put("epoch", "e1"));
    assertThat(new JsonObject(codec.leave("g")))
        .isEqualTo(new JsonObject().put("type", "leave").put("group", "g"));
    assertThat(new JsonObject(codec.send("g", "m-1", "hi \"there\"\n")))
        .isEqualTo(
            new JsonObject()
                .put("type", "send")
                .put("group", "g")
                .put("id", "m-1")
                .put("text", "hi \"there\"\n"));
    assertThat(new JsonObject(codec.ping("7")))
        .isEqualTo(new JsonObject().put("type", "ping").put("ref", "7"));
  }

  @Test
  void decodesEveryServerFrame() throws Exception {
    assertThat(
            codec.decode(
                """
                {"type":"welcome","node":"pod-1","incarnation":"i1","user":"alice","clientId":"c",
                 "version":"0.1",
                 "limits":{"maxFrameBytes":65536,"maxTextBytes":8192,"maxGroups":100},
                 "idleTimeoutMs":30000,"extra":true}\
                """))
        .isEqualTo(
            new ServerFrame.Welcome(
                new ServerInfo("pod-1", "i1", "0.1", 65536, 8192, 100, 30000), Long.MAX_VALUE));
    assertThat(
            codec.decode(
                """
                {"type":"welcome","node":"pod-1","incarnation":"i1","version":"0.1",
                 "limits":{},"idleTimeoutMs":30000,"validUntil":1700000000000}\
                """))
        .isEqualTo(
            new ServerFrame.Welcome(
                new ServerInfo("pod-1", "i1", "0.1", 0, 0, 0, 30000), 1_700_000_000_000L));
    assertThat(codec.decode("{\"type\":\"authed\",\"user\":\"a\",\"validUntil\":5}"))
        .isEqualTo(new ServerFrame.Authed(5));
    assertThat(codec.decode("{\"type\":\"reauth\",\"graceMs\":30000}"))
        .isEqualTo(new ServerFrame.Reauth(30000));
    assertThat(
            codec.decode(
                """
                {"type":"joined","group":"g","user":"bob","clientId":"c2","members":["alice","bob"],
                 "epoch":"e1","seq":3,"self":true}\
                """))
        .isEqualTo(
            new ServerFrame.Joined(
                new Presence(
                    Presence.Kind.JOINED,
                    "g",
                    "bob",
                    "c2",
                    List.of("alice", "bob"),
                    null,
                    true,
                    false),
                "e1",
                3));
    assertThat(
            codec.decode(
                """
                {"type":"joined","group":"g","user":"bob","clientId":"c2","members":["bob"],
                 "epoch":"e1","seq":3,"self":true,"local":true}\
                """))
        .isEqualTo(
            new ServerFrame.Joined(
                new Presence(
                    Presence.Kind.JOINED, "g", "bob", "c2", List.of("bob"), null, true, true),
                "e1",
                3));
    assertThat(
            codec.decode(
                """
                {"type":"left","group":"g","user":"bob","clientId":"c2","members":["alice"],
                 "reason":"timeout","self":false}\
                """))
        .isEqualTo(
            new ServerFrame.Left(
                new Presence(
                    Presence.Kind.LEFT,
                    "g",
                    "bob",
                    "c2",
                    List.of("alice"),
                    "timeout",
                    false,
                    false)));
    assertThat(
            codec.decode(
                """
                {"type":"message","group":"g","from":"bob","text":"hi","id":"m1","ts":12,"node":"p",
                 "seq":4,"epoch":"e1"}\
                """))
        .isEqualTo(
            new ServerFrame.Message(new ChatMessage("g", "bob", "hi", "m1", 12, "p", 4, "e1")));
    assertThat(
            codec.decode(
                """
                {"type":"ack","id":"m1","group":"g","seq":4,"epoch":"e1","ts":12}\
                """))
        .isEqualTo(new ServerFrame.AckFrame(new Ack("m1", "g", 4, "e1", 12)));
    assertThat(codec.decode("{\"type\":\"gap\",\"group\":\"g\",\"from\":1,\"to\":9}"))
        .isEqualTo(new ServerFrame.GapFrame(new Gap("g", 1, 9)));
    assertThat(codec.decode("{\"type\":\"reset\",\"group\":\"g\",\"epoch\":\"e2\"}"))
        .isEqualTo(new ServerFrame.ResetFrame(new Reset("g", "e2")));
    assertThat(codec.decode("{\"type\":\"pong\",\"ref\":\"7\"}"))
        .isEqualTo(new ServerFrame.Pong("7"));
    assertThat(
            codec.decode(
                """
                {"type":"error","code":"UNAVAILABLE","message":"no quorum","ref":"m1",
                 "retryable":true}
                """))
        .isInstanceOfSatisfying(
            ServerFrame.Error.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("UNAVAILABLE");
              assertThat(e.error().ref()).isEqualTo("m1");
              assertThat(e.error().retryable()).isTrue();
              assertThat(e.error().local()).isFalse();
            });
  }

  @Test
  void aServerWithoutOrderingGivesNeutralValues() throws Exception {
    assertThat(codec.decode("{\"type\":\"ack\",\"id\":\"m1\"}"))
        .isEqualTo(new ServerFrame.AckFrame(new Ack("m1", null, 0, null, 0)));
    assertThat(codec.decode("{\"type\":\"message\",\"group\":\"g\",\"from\":\"a\",\"text\":\"t\"}"))
        .isEqualTo(new ServerFrame.Message(new ChatMessage("g", "a", "t", null, 0, null, 0, null)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[1,2]",
        "42",
        "\"text\"",
        "{\"no\":\"type\"}",
        "{\"type\":\"message\"}",
        "{\"type\":\"ack\",\"id\":5}",
        "{\"type\":\"gap\",\"group\":\"g\",\"from\":\"x\"}",
        "{\"type\":\"joined\",\"group\":\"g\",\"members\":\"bob\"}",
        "{\"type\":7}"
      })
  void garbageIsABadFrame(String text) {
    assertThatThrownBy(() -> codec.decode(text))
        .isInstanceOf(FrameDecodeException.class)
        .satisfies(e -> assertThat(((FrameDecodeException) e).code()).isEqualTo("BAD_FRAME"));
  }

  @Test
  void anUnknownTypeIsReportedAsSuch() {
    assertThatThrownBy(() -> codec.decode("{\"type\":\"surprise\"}"))
        .isInstanceOf(FrameDecodeException.class)
        .satisfies(e -> assertThat(((FrameDecodeException) e).code()).isEqualTo("UNKNOWN_FRAME"));
  }

  @Test
  void closeCodesFollowTheProtocol() {
    assertThat(CloseCodes.actionFor(4001)).isEqualTo(CloseCodes.Action.RECONNECT_NOW);
    for (int code : new int[] {4002, 4003, 4004, 4499, 1000, 1001, 1006, 1011}) {
      assertThat(CloseCodes.actionFor(code)).isEqualTo(CloseCodes.Action.RECONNECT_WITH_BACKOFF);
    }
    assertThat(CloseCodes.actionFor(null)).isEqualTo(CloseCodes.Action.RECONNECT_WITH_BACKOFF);
    for (int code : new int[] {4500, 4501, 4999}) {
      assertThat(CloseCodes.actionFor(code)).isEqualTo(CloseCodes.Action.GIVE_UP);
    }
  }

  @Test
  void namesFollowTheProtocolPatterns() {
    assertThat(Names.isName("alice.b-c_9")).isTrue();
    assertThat(Names.isName("a".repeat(64))).isTrue();
    assertThat(Names.isName("a".repeat(65))).isFalse();
    assertThat(Names.isName("with space")).isFalse();
    assertThat(Names.isName("a:b")).isFalse();
    assertThat(Names.isName(null)).isFalse();
    assertThat(Names.isMessageId("abc-1:2")).isTrue();
    assertThat(Names.isMessageId("")).isFalse();
  }
}
