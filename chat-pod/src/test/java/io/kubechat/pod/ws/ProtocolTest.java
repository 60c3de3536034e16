package io.kubechat.pod.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.PodLauncher;
import io.kubechat.pod.config.EnvConfigLoader;
import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.RawWebSocket;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client protocol against one real pod (clustered Vert.x, single member) on 127.0.1.2: one test
 * per bad-input case of docs/protocol.md, presence, ping/pong, idle timeout, flood and slow
 * consumer handling.
 */
class ProtocolTest {
  static final String HOST = "127.0.1.2";
  static final int PORT = 18080;
  static final int ADMIN_PORT = 19090;
  static final int IDLE_S = 5;
  static PodLauncher pod;
  static Vertx clients;
  final List<WsTestClient> open = new ArrayList<>();
  static final AtomicInteger IDS = new AtomicInteger();

  @BeforeAll
  static void startPod() throws Exception {
    pod =
        PodLauncher.start(
                EnvConfigLoader.load(
                    Map.ofEntries(
                        Map.entry("KUBECHAT_NODE_NAME", "solo"),
                        Map.entry("KUBECHAT_POD_IP", HOST),
                        Map.entry("KUBECHAT_CLUSTER_NAME", "protocol-" + UUID.randomUUID()),
                        Map.entry("KUBECHAT_HTTP_PORT", Integer.toString(PORT)),
                        Map.entry("KUBECHAT_ADMIN_PORT", Integer.toString(ADMIN_PORT)),
                        Map.entry("KUBECHAT_HAZELCAST_PORT", "15701"),
                        Map.entry("KUBECHAT_EVENTBUS_PORT", "15702"),
                        Map.entry("KUBECHAT_HEARTBEAT_INTERVAL_MS", "200"),
                        Map.entry("KUBECHAT_HEARTBEAT_TIMEOUT_MS", "1000"),
                        Map.entry("KUBECHAT_CLIENT_IDLE_TIMEOUT_S", Integer.toString(IDLE_S)),
                        Map.entry("KUBECHAT_MAX_TEXT_BYTES", "61440"),
                        Map.entry("KUBECHAT_MAX_GROUPS_PER_CLIENT", "3"),
                        Map.entry("KUBECHAT_OUTBOUND_QUEUE_FRAMES", "16"),
                        Map.entry("KUBECHAT_RATE_LIMIT_PER_S", "200"),
                        // a single pod forms its own consensus group
                        Map.entry("KUBECHAT_BOOTSTRAP", "true"),
                        Map.entry("KUBECHAT_AUTH", "none"),
                        Map.entry("KUBECHAT_RAFT_DISCOVERY_WINDOW_MS", "300"))))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    // HTTP answers at once; the pod is ready once it leads its consensus group
    Awaitility.await("pod ready")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Http.get(HOST, ADMIN_PORT, "/readyz").status() == 200);
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stopPod() throws Exception {
    if (clients != null) {
      clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (pod != null) {
      pod.stop().get(20, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void closeClients() {
    open.forEach(WsTestClient::close);
  }

  WsTestClient connect() {
    WsTestClient c = WsTestClient.connect(clients, HOST, PORT);
    open.add(c);
    return c;
  }

  WsTestClient hello(String user) {
    WsTestClient c =
        WsTestClient.hello(clients, HOST, PORT, user, user + "-" + IDS.incrementAndGet());
    open.add(c);
    return c;
  }

  static String group() {
    return "g" + IDS.incrementAndGet();
  }

  static JsonObject frame(String type) {
    return new JsonObject().put("type", type);
  }

  /** The connection still works: a ping is answered. */
  static void stillUsable(WsTestClient c) {
    String ref = "r" + IDS.incrementAndGet();
    c.send(frame("ping").put("ref", ref));
    c.await(f -> "pong".equals(f.getString("type")) && ref.equals(f.getString("ref")));
    assertThat(c.closeCode()).isNull();
  }

  static void assertError(JsonObject e, String code, Object ref) {
    assertThat(e.getString("code")).isEqualTo(code);
    assertThat(e.getValue("ref")).isEqualTo(ref);
    assertThat(e.getString("message")).isNotBlank();
    assertThat(e.getBoolean("retryable")).isNotNull();
  }

  @Test
  void welcomeCarriesIdentityAndLimits() {
    WsTestClient c = connect();
    c.send(frame("hello").put("user", "alice").put("clientId", "c-welcome"));
    JsonObject w = c.await(f -> "welcome".equals(f.getString("type")));
    assertThat(w.getString("node")).isEqualTo("solo");
    assertThat(w.getString("incarnation")).isNotBlank();
    assertThat(w.getString("user")).isEqualTo("alice");
    assertThat(w.getString("clientId")).isEqualTo("c-welcome");
    assertThat(w.getJsonObject("limits").getInteger("maxFrameBytes")).isEqualTo(65536);
    assertThat(w.getJsonObject("limits").getInteger("maxTextBytes")).isEqualTo(61440);
    assertThat(w.getJsonObject("limits").getInteger("maxGroups")).isEqualTo(3);
    assertThat(w.getLong("idleTimeoutMs")).isEqualTo(IDLE_S * 1000L);
  }

  @Test
  void pingIsAnsweredWithPongEvenBeforeHello() {
    WsTestClient c = connect();
    c.send(frame("ping").put("ref", 17));
    JsonObject pong = c.await(f -> "pong".equals(f.getString("type")));
    assertThat(pong.getInteger("ref")).isEqualTo(17);
    c.send(frame("ping"));
    c.await(f -> "pong".equals(f.getString("type")) && !f.containsKey("ref"));
  }

  @Test
  void framesBeforeHelloAreNotHello() {
    WsTestClient c = connect();
    c.send(frame("join").put("group", "g"));
    assertError(c.awaitError("NOT_HELLO"), "NOT_HELLO", "join");
    c.send(frame("hello").put("user", "late").put("clientId", "c-late"));
    c.await(f -> "welcome".equals(f.getString("type")));
  }

  @Test
  void aSecondHelloIsAlreadyHello() {
    WsTestClient c = hello("twice");
    c.send(frame("hello").put("user", "twice").put("clientId", "c-twice"));
    assertError(c.awaitError("ALREADY_HELLO"), "ALREADY_HELLO", "hello");
    stillUsable(c);
  }

  @Test
  void malformedJsonIsBadJson() {
    WsTestClient c = hello("bj");
    c.sendText("{\"type\": \"send\", ");
    assertError(c.awaitError("BAD_JSON"), "BAD_JSON", null);
    stillUsable(c);
  }

  @Test
  void unknownTypeIsUnknownType() {
    WsTestClient c = hello("ut");
    c.send(frame("subscribe"));
    assertError(c.awaitError("UNKNOWN_TYPE"), "UNKNOWN_TYPE", "subscribe");
    stillUsable(c);
  }

  @Test
  void missingFieldIsMissingField() {
    WsTestClient c = hello("mf");
    c.send(frame("join"));
    assertError(c.awaitError("MISSING_FIELD"), "MISSING_FIELD", "join");
    stillUsable(c);
  }

  @Test
  void wronglyTypedFieldIsBadField() {
    WsTestClient c = hello("bf");
    c.send(frame("join").put("group", new JsonArray().add("g")));
    assertError(c.awaitError("BAD_FIELD"), "BAD_FIELD", "join");
    stillUsable(c);
  }

  @Test
  void binaryFramesAreNotSupported() {
    WsTestClient c = hello("bin");
    c.sendBinary(new byte[] {1, 2, 3});
    assertError(c.awaitError("BINARY_NOT_SUPPORTED"), "BINARY_NOT_SUPPORTED", null);
    stillUsable(c);
  }

  @Test
  void anOversizeFrameIsTooLarge() {
    WsTestClient c = hello("big");
    c.send(frame("ping").put("ref", "x".repeat(70_000)));
    assertError(c.awaitError("TOO_LARGE"), "TOO_LARGE", null);
    stillUsable(c);
  }

  @Test
  void aFrameOverFourTimesTheLimitClosesTheConnection() {
    WsTestClient c = hello("huge");
    c.send(frame("ping").put("ref", "x".repeat(300_000)));
    // Netty's frame decoder drops the connection (1009 when the close frame gets through, else
    // 1006).
    assertThat(c.awaitClose(Duration.ofSeconds(10))).isIn((short) 1006, (short) 1009);
    stillUsable(hello("afterhuge"));
  }

  @Test
  void anOversizeTextIsTooLargeWithTheMessageIdAsRef() {
    WsTestClient c = hello("bigtext");
    String g = group();
    c.join(g);
    c.send(frame("send").put("group", g).put("id", "m-big").put("text", "y".repeat(61_441)));
    assertError(c.awaitError("TOO_LARGE"), "TOO_LARGE", "m-big");
    stillUsable(c);
  }

  @Test
  void invalidNamesAreInvalidName() {
    WsTestClient c = connect();
    c.send(frame("hello").put("user", "no spaces").put("clientId", "c1"));
    assertError(c.awaitError("INVALID_NAME"), "INVALID_NAME", "hello");
    WsTestClient d = hello("namer");
    d.send(frame("join").put("group", "bad/group"));
    assertError(d.awaitError("INVALID_NAME"), "INVALID_NAME", "join");
    stillUsable(d);
  }

  @Test
  void invalidMessageIdIsInvalidId() {
    WsTestClient c = hello("idr");
    String g = group();
    c.join(g);
    c.send(frame("send").put("group", g).put("id", "has space").put("text", "x"));
    assertError(c.awaitError("INVALID_ID"), "INVALID_ID", "send");
    stillUsable(c);
  }

  @Test
  void sendingOrLeavingAGroupNotJoinedIsNotJoined() {
    WsTestClient c = hello("nj");
    c.send(frame("send").put("group", "elsewhere").put("id", "m1").put("text", "x"));
    assertError(c.awaitError("NOT_JOINED"), "NOT_JOINED", "m1");
    c.send(frame("leave").put("group", "elsewhere"));
    c.await(f -> "error".equals(f.getString("type")) && "leave".equals(f.getString("ref")));
    stillUsable(c);
  }

  @Test
  void joiningMoreThanMaxGroupsIsTooManyGroups() {
    WsTestClient c = hello("many");
    c.join(group());
    c.join(group());
    c.join(group());
    c.send(frame("join").put("group", group()));
    assertError(c.awaitError("TOO_MANY_GROUPS"), "TOO_MANY_GROUPS", "join");
    stillUsable(c);
  }

  @Test
  void messagesReachEveryMemberAndAreAcknowledged() {
    String g = group();
    WsTestClient a = hello("alice");
    WsTestClient b = hello("bob");
    a.join(g);
    b.join(g);
    a.send(frame("send").put("group", g).put("id", "a-1").put("text", "hello bob"));
    JsonObject ack = a.await(f -> "ack".equals(f.getString("type")));
    assertThat(ack.getString("id")).isEqualTo("a-1");
    assertThat(ack.getString("group")).isEqualTo(g);
    for (WsTestClient c : List.of(a, b)) {
      JsonObject m =
          c.await(f -> "message".equals(f.getString("type")) && "a-1".equals(f.getString("id")));
      assertThat(m.getString("from")).isEqualTo("alice");
      assertThat(m.getString("text")).isEqualTo("hello bob");
      assertThat(m.getString("node")).isEqualTo("solo");
      assertThat(m.getLong("ts")).isPositive();
      assertThat(m.getString("clientId")).isEqualTo(a.frames().get(0).getString("clientId"));
      assertThat(m.getLong("seq")).isEqualTo(1);
      assertThat(m.getString("epoch")).isEqualTo(ack.getString("epoch"));
    }
    assertThat(ack.getLong("seq")).isEqualTo(1);
    assertThat(ack.getString("epoch")).isNotBlank();
  }

  @Test
  void aResendIsAcknowledgedWithItsOriginalSeqAndDeliveredOnce() {
    String g = group();
    WsTestClient a = hello("resender");
    a.join(g);
    a.send(frame("send").put("group", g).put("id", "r-1").put("text", "once"));
    a.await(f -> "ack".equals(f.getString("type")) && "r-1".equals(f.getString("id")));
    a.send(frame("send").put("group", g).put("id", "r-2").put("text", "two"));
    a.send(frame("send").put("group", g).put("id", "r-1").put("text", "once"));
    a.await(f -> "ack".equals(f.getString("type")) && "r-2".equals(f.getString("id")));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                a.count(f -> "ack".equals(f.getString("type")) && "r-1".equals(f.getString("id")))
                    == 2);
    stillUsable(a);
    assertThat(
            a.frames().stream()
                .filter(f -> "ack".equals(f.getString("type")) && "r-1".equals(f.getString("id")))
                .map(f -> f.getLong("seq")))
        .containsExactly(1L, 1L);
    assertThat(
            a.frames().stream()
                .filter(f -> "message".equals(f.getString("type")))
                .map(f -> f.getString("id")))
        .containsExactly("r-1", "r-2");
  }

  @Test
  void aJoinWithSinceReplaysWhatWasMissedAndAnOtherEpochIsAReset() {
    String g = group();
    WsTestClient a = hello("writer");
    String epoch = a.join(g).getString("epoch");
    for (int i = 1; i <= 3; i++) {
      a.send(frame("send").put("group", g).put("id", "w-" + i).put("text", "m" + i));
    }
    a.await(f -> "ack".equals(f.getString("type")) && "w-3".equals(f.getString("id")));

    WsTestClient b = hello("reader");
    b.send(frame("join").put("group", g).put("since", 1).put("epoch", epoch));
    b.await(f -> "message".equals(f.getString("type")) && "w-3".equals(f.getString("id")));
    List<String> types = b.frames().stream().map(f -> f.getString("type")).toList();
    assertThat(types).containsExactly("welcome", "joined", "message", "message");
    assertThat(b.frames().get(1).getLong("seq")).isEqualTo(3);
    assertThat(b.frames().subList(2, 4)).extracting(f -> f.getLong("seq")).containsExactly(2L, 3L);

    WsTestClient c = hello("stale");
    c.send(frame("join").put("group", g).put("since", 7).put("epoch", "an-old-epoch"));
    c.await(f -> "message".equals(f.getString("type")) && "w-3".equals(f.getString("id")));
    assertThat(c.frames())
        .extracting(f -> f.getString("type"))
        .containsExactly("welcome", "joined", "reset", "message", "message", "message");
    assertThat(c.frames().get(2).getString("epoch")).isEqualTo(epoch);
  }

  @Test
  void presenceOnJoinAndLeaveAndDisconnect() {
    String g = group();
    WsTestClient a = hello("ann");
    WsTestClient b = hello("ben");
    assertThat(a.join(g).getJsonArray("members").getList()).containsExactly("ann");
    JsonObject selfJoin = b.join(g);
    assertThat(selfJoin.getJsonArray("members").getList()).containsExactly("ann", "ben");
    JsonObject joined =
        a.await(f -> "joined".equals(f.getString("type")) && "ben".equals(f.getString("user")));
    assertThat(joined.getBoolean("self")).isFalse();
    assertThat(joined.getJsonArray("members").getList()).containsExactly("ann", "ben");

    b.send(frame("leave").put("group", g));
    JsonObject selfLeft = b.await(f -> "left".equals(f.getString("type")));
    assertThat(selfLeft.getBoolean("self")).isTrue();
    assertThat(selfLeft.getJsonArray("members").getList()).containsExactly("ann");
    JsonObject left =
        a.await(f -> "left".equals(f.getString("type")) && "ben".equals(f.getString("user")));
    assertThat(left.getString("reason")).isEqualTo("leave");
    assertThat(left.getBoolean("self")).isFalse();

    WsTestClient c = hello("cid");
    c.join(g);
    c.close();
    JsonObject gone =
        a.await(f -> "left".equals(f.getString("type")) && "cid".equals(f.getString("user")));
    assertThat(gone.getString("reason")).isEqualTo("disconnect");
    assertThat(gone.getJsonArray("members").getList()).containsExactly("ann");
  }

  @Test
  void aSilentClientIsClosedForIdlenessAndItsGroupsAreTold() {
    String g = group();
    WsTestClient active = hello("active");
    WsTestClient silent = hello("silent");
    active.join(g);
    silent.join(g);
    long t0 = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(IDLE_S * 4L))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              active.send(frame("ping"));
              return silent.closeCode() != null;
            });
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(silent.closeCode()).isEqualTo(ErrorCodes.CLOSE_IDLE_TIMEOUT);
    assertThat(tookMs).isGreaterThanOrEqualTo(IDLE_S * 1000L - 600);
    JsonObject left =
        active.await(
            f -> "left".equals(f.getString("type")) && "silent".equals(f.getString("user")));
    assertThat(left.getString("reason")).isEqualTo("timeout");
    assertThat(active.closeCode()).isNull();
  }

  @Test
  void aFloodIsRateLimitedThenClosedWhileOthersAreStillServed() {
    WsTestClient other = hello("calm");
    WsTestClient flood = hello("flood");
    for (int i = 0; i < 2000 && flood.closeCode() == null; i++) {
      flood.send(frame("ping"));
    }
    JsonObject limited = flood.awaitError("RATE_LIMITED");
    assertThat(limited.getBoolean("retryable")).isTrue();
    assertThat(flood.awaitClose(Duration.ofSeconds(10))).isEqualTo(ErrorCodes.CLOSE_FLOOD);
    stillUsable(other);
  }

  @Test
  void tooManyInvalidFramesInARowAreAProtocolViolation() {
    WsTestClient c = hello("junk");
    for (int i = 0; i < SessionSettings.MAX_INVALID_IN_A_ROW; i++) {
      c.sendText("not json " + i);
    }
    assertThat(c.awaitClose(Duration.ofSeconds(10))).isEqualTo(ErrorCodes.CLOSE_PROTOCOL_VIOLATION);
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAsSlowConsumer() throws Exception {
    String g = group();
    WsTestClient sender = hello("pusher");
    sender.join(g);
    try (RawWebSocket slow = RawWebSocket.connect(HOST, PORT)) {
      slow.sendText(frame("hello").put("user", "stuck").put("clientId", "c-stuck").encode());
      slow.sendText(frame("join").put("group", g).encode());
      sender.await(
          f -> "joined".equals(f.getString("type")) && "stuck".equals(f.getString("user")));
      String text = "z".repeat(60_000);
      AtomicInteger n = new AtomicInteger();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                slow.sendText(
                    frame("ping").encode()); // stays active (no idle timeout) but never reads
                for (int i = 0; i < 4; i++) { // 80 per second: under the rate limit
                  sender.send(
                      frame("send")
                          .put("group", g)
                          .put("id", "p" + n.incrementAndGet())
                          .put("text", text));
                }
                return sender.count(
                        f ->
                            "left".equals(f.getString("type"))
                                && "stuck".equals(f.getString("user")))
                    > 0;
              });
      JsonObject left =
          sender.await(
              f -> "left".equals(f.getString("type")) && "stuck".equals(f.getString("user")));
      assertThat(left.getString("reason")).isEqualTo("disconnect");
      assertThat(sender.closeCode()).isNull();
      assertThat(Http.get(HOST, ADMIN_PORT, "/metrics").body())
          .containsPattern("kubechat_clients_slow_consumer_disconnects_total [1-9]");
    }
    stillUsable(sender);
  }

  @Test
  void httpEndpointsReportASingleReadyPod() {
    assertThat(Http.get(HOST, ADMIN_PORT, "/healthz").status()).isEqualTo(200);
    Http.Response ready = Http.get(HOST, ADMIN_PORT, "/readyz");
    assertThat(ready.status()).isEqualTo(200);
    JsonObject s = Http.status(HOST, ADMIN_PORT);
    assertThat(s.getString("node")).isEqualTo("solo");
    assertThat(s.getBoolean("ready")).isTrue();
    // a single pod leads its own consensus group
    assertThat(s.getString("role")).isEqualTo("LEADER");
    assertThat(s.getLong("term")).isPositive();
    assertThat(s.getString("leader")).isEqualTo("solo");
    assertThat(s.getLong("commitIndex")).isPositive();
    assertThat(s.getValue("reason")).isNull();
    assertThat(s.getInteger("clients")).isNotNull();
    assertThat(s.getInteger("groups")).isNotNull();
    assertThat(s.getString("version")).isNotBlank();
    assertThat(s.getJsonArray("members")).hasSize(1);
    JsonObject self = s.getJsonArray("members").getJsonObject(0);
    assertThat(self.fieldNames())
        .contains("node", "incarnation", "state", "lastSeenMillisAgo", "hearsUs");
    assertThat(self.getString("incarnation")).isEqualTo(s.getString("incarnation"));
    assertThat(self.getBoolean("voter")).isTrue();
    assertThat(self.getBoolean("learner")).isFalse();

    WsTestClient c = hello("metric");
    c.sendText("nope");
    c.awaitError("BAD_JSON");
    String metrics = Http.get(HOST, ADMIN_PORT, "/metrics").body();
    assertThat(metrics)
        .contains(
            "kubechat_clients_connected",
            "kubechat_messages_in_total",
            "kubechat_messages_out_total",
            "kubechat_heartbeats_missed_total",
            "vertx_http_server",
            "kubechat_raft_term",
            "kubechat_raft_role",
            "kubechat_raft_commit_index",
            "kubechat_raft_commit_latency_seconds")
        .containsPattern("kubechat_frames_rejected_total\\{code=\"BAD_JSON\"} [1-9]")
        .containsPattern("kubechat_raft_role_state\\{node=\"[^\"]+\",role=\"LEADER\"} 1")
        .containsPattern("kubechat_cluster_members\\{state=\"ALIVE\"} 1");
    assertThat(metrics.lines().filter(l -> l.startsWith("# HELP kubechat_")))
        .as("every kubechat metric has a HELP text")
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches("# HELP \\S+ \\S.*"));
    assertThat(Http.get(HOST, PORT, "/").body()).contains("kubechat").contains("chat.js");
    assertThat(Http.get(HOST, PORT, "/chat.js").status()).isEqualTo(200);
  }
}
