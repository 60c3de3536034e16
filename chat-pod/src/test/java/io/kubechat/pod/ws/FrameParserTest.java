package io.kubechat.pod.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FrameParserTest {
  private final FrameParser parser = new FrameParser(1024, 100);

  private FrameError error(String raw) {
    FrameParser.Result r = parser.parse(raw);
    assertThat(r.frame()).as("frame of %s", raw).isNull();
    return r.error();
  }

  private ClientFrame frame(String raw) {
    FrameParser.Result r = parser.parse(raw);
    assertThat(r.error()).as("error of %s", raw).isNull();
    return r.frame();
  }

  @Test
  void validFramesParse() {
    assertThat(frame("{\"type\":\"hello\",\"user\":\"alice\",\"clientId\":\"c-1\"}"))
        .isEqualTo(new ClientFrame.Hello("alice", "c-1", null));
    assertThat(frame("{\"type\":\"join\",\"group\":\"g.1\"}"))
        .isEqualTo(new ClientFrame.Join("g.1", -1, null));
    assertThat(frame("{\"type\":\"join\",\"group\":\"g\",\"since\":7,\"epoch\":\"e1\"}"))
        .isEqualTo(new ClientFrame.Join("g", 7, "e1"));
    assertThat(frame("{\"type\":\"leave\",\"group\":\"g\"}")).isEqualTo(new ClientFrame.Leave("g"));
    assertThat(
            frame(
                "{\"type\":\"send\",\"group\":\"g\",\"id\":\"c-1:42\","
                    + "\"text\":\"hi\",\"extra\":1}"))
        .isEqualTo(new ClientFrame.Send("g", "c-1:42", "hi"));
    assertThat(frame("{\"type\":\"ping\",\"ref\":5}")).isEqualTo(new ClientFrame.Ping(5));
  }

  @Test
  void malformedJsonIsBadJson() {
    assertThat(error("{\"type\":").code()).isEqualTo("BAD_JSON");
  }

  @Test
  void aJsonValueThatIsNotAnObjectIsBadJson() {
    assertThat(error("[1,2]").code()).isEqualTo("BAD_JSON");
    assertThat(error("\"hello\"").code()).isEqualTo("BAD_JSON");
  }

  @Test
  void missingTypeIsUnknownType() {
    assertThat(error("{\"user\":\"a\"}").code()).isEqualTo("UNKNOWN_TYPE");
  }

  @Test
  void unknownTypeIsUnknownTypeWithTheTypeAsRef() {
    FrameError e = error("{\"type\":\"dance\"}");
    assertThat(e.code()).isEqualTo("UNKNOWN_TYPE");
    assertThat(e.ref()).isEqualTo("dance");
  }

  @Test
  void nonStringTypeIsUnknownType() {
    assertThat(error("{\"type\":3}").code()).isEqualTo("UNKNOWN_TYPE");
  }

  @Test
  void missingFieldIsMissingField() {
    FrameError e = error("{\"type\":\"join\"}");
    assertThat(e.code()).isEqualTo("MISSING_FIELD");
    assertThat(e.ref()).isEqualTo("join");
    assertThat(error("{\"type\":\"hello\",\"user\":\"a\"}").code()).isEqualTo("MISSING_FIELD");
  }

  @Test
  void wronglyTypedFieldIsBadField() {
    assertThat(error("{\"type\":\"join\",\"group\":42}").code()).isEqualTo("BAD_FIELD");
    assertThat(error("{\"type\":\"join\",\"group\":\"g\",\"since\":\"7\"}").code())
        .isEqualTo("BAD_FIELD");
    assertThat(error("{\"type\":\"join\",\"group\":\"g\",\"since\":-2}").code())
        .isEqualTo("BAD_FIELD");
    assertThat(error("{\"type\":\"send\",\"group\":\"g\",\"id\":\"m1\",\"text\":{}}").code())
        .isEqualTo("BAD_FIELD");
  }

  @Test
  void invalidNamesAreInvalidName() {
    assertThat(error("{\"type\":\"hello\",\"user\":\"al ice\",\"clientId\":\"c\"}").code())
        .isEqualTo("INVALID_NAME");
    assertThat(error("{\"type\":\"hello\",\"user\":\"\",\"clientId\":\"c\"}").code())
        .isEqualTo("INVALID_NAME");
    assertThat(error("{\"type\":\"join\",\"group\":\"" + "g".repeat(65) + "\"}").code())
        .isEqualTo("INVALID_NAME");
    assertThat(error("{\"type\":\"join\",\"group\":\"grüße\"}").code()).isEqualTo("INVALID_NAME");
  }

  @Test
  void invalidMessageIdIsInvalidId() {
    assertThat(error("{\"type\":\"send\",\"group\":\"g\",\"id\":\"a b\",\"text\":\"x\"}").code())
        .isEqualTo("INVALID_ID");
  }

  @Test
  void sendErrorsCarryTheMessageIdAsRef() {
    FrameError e =
        error("{\"type\":\"send\",\"group\":\"bad group\",\"id\":\"m-9\",\"text\":\"x\"}");
    assertThat(e.code()).isEqualTo("INVALID_NAME");
    assertThat(e.ref()).isEqualTo("m-9");
  }

  @Test
  void oversizeFrameIsTooLarge() {
    String big = new JsonObject().put("type", "ping").put("ref", "x".repeat(2000)).encode();
    assertThat(error(big).code()).isEqualTo("TOO_LARGE");
  }

  @Test
  void oversizeTextIsTooLargeCountedInUtf8Bytes() {
    // 40 characters but 120 bytes in UTF-8: over the 100-byte text limit.
    String text = "€".repeat(40);
    FrameError e =
        error(
            new JsonObject()
                .put("type", "send")
                .put("group", "g")
                .put("id", "m1")
                .put("text", text)
                .encode());
    assertThat(e.code()).isEqualTo("TOO_LARGE");
    assertThat(e.ref()).isEqualTo("m1");
    assertThat(
            frame(
                new JsonObject()
                    .put("type", "send")
                    .put("group", "g")
                    .put("id", "m1")
                    .put("text", "x".repeat(100))
                    .encode()))
        .isInstanceOf(ClientFrame.Send.class);
  }

  @Test
  void retryableOnlyForTransientCodes() {
    assertThat(new FrameError("RATE_LIMITED", "", null).retryable()).isTrue();
    assertThat(new FrameError("UNAVAILABLE", "", null).retryable()).isTrue();
    assertThat(new FrameError("BAD_JSON", "", null).retryable()).isFalse();
  }
}
