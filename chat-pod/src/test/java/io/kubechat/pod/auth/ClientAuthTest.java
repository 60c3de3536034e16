package io.kubechat.pod.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.TestTokens;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 12 against two real pods (127.0.22.2-3) that authenticate clients with HS256
 * tokens: a spoofed user, another user's clientId used to suppress a message or to force a leave, a
 * group the token does not allow, expired tokens, a token that expires mid-connection with and
 * without re-authentication.
 */
class ClientAuthTest {
  private static final List<String> IPS = List.of("127.0.22.2", "127.0.22.3");
  private static final int PORT = TestCluster.PORT;
  private static final String SECRET = "test-secret-" + UUID.randomUUID() + "-0123456789";
  private static final Duration CLOSE = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static TestCluster cluster;
  private static TestTokens tokens;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = TestTokens.hs256(vertx, SECRET);
    Path key = TestTokens.write(Path.of("target", "client-auth", "hmac.key"), SECRET + "\n");
    cluster =
        TestCluster.start(
            "client-auth",
            IPS,
            Map.of(
                "KUBECHAT_AUTH", "jwt",
                "KUBECHAT_AUTH_JWT_KEY_FILE", key.toAbsolutePath().toString(),
                "KUBECHAT_AUTH_CLOCK_SKEW_S", "1",
                "KUBECHAT_AUTH_REAUTH_GRACE_S", "2"));
    cluster.awaitAgreedLeader(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    vertx.close();
  }

  private static WsTestClient as(int pod, String token, String clientId) {
    WsTestClient c = WsTestClient.connect(vertx, IPS.get(pod), PORT);
    c.send(new JsonObject().put("type", "hello").put("clientId", clientId).put("token", token));
    c.await(f -> "welcome".equals(f.getString("type")) || "error".equals(f.getString("type")));
    return c;
  }

  private static WsTestClient helloRefused(JsonObject hello) {
    WsTestClient c = WsTestClient.connect(vertx, IPS.get(0), PORT);
    c.send(hello.put("type", "hello"));
    JsonObject e = c.awaitError("UNAUTHENTICATED");
    assertThat(e.getString("ref")).isEqualTo("hello");
    assertThat(c.awaitClose(CLOSE)).isEqualTo((short) 4501);
    assertThat(c.count(f -> "welcome".equals(f.getString("type")))).isZero();
    return c;
  }

  @Test
  void theUserIsTheTokensSubject() {
    try (WsTestClient bob = as(0, tokens.token("bob", 600), "bob-1")) {
      JsonObject welcome = bob.await(f -> "welcome".equals(f.getString("type")));
      assertThat(welcome.getString("user")).isEqualTo("bob");
      assertThat(welcome.getLong("validUntil")).isGreaterThan(System.currentTimeMillis());
    }
  }

  @Test
  void aHelloWhoseUserIsNotTheSubjectIsRefused() {
    helloRefused(
            new JsonObject()
                .put("user", "alice")
                .put("clientId", "c-spoof")
                .put("token", tokens.token("bob", 600)))
        .close();
  }

  @Test
  void anonymousAndForgedHellosAreRefused() {
    helloRefused(new JsonObject().put("user", "alice").put("clientId", "c-anon")).close();
    String forged = TestTokens.hs256(vertx, SECRET + "-other").token("alice", 600);
    helloRefused(new JsonObject().put("clientId", "c-forged").put("token", forged)).close();
    // an unsigned token (alg none) with the same claims
    String[] parts = tokens.token("alice", 600).split("\\.");
    String none =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
            + "."
            + parts[1]
            + ".";
    helloRefused(new JsonObject().put("clientId", "c-none").put("token", none)).close();
  }

  @Test
  void anExpiredOrNotYetValidTokenIsRefusedAtHello() {
    helloRefused(
            new JsonObject().put("clientId", "c-exp").put("token", tokens.token("alice", -120)))
        .close();
    long now = System.currentTimeMillis() / 1000;
    String early = tokens.token(new JsonObject().put("sub", "alice").put("nbf", now + 300), 600);
    helloRefused(new JsonObject().put("clientId", "c-nbf").put("token", early)).close();
  }

  /**
   * Mallory names alice's clientId on another pod and pre-sends her next message id: alice's
   * message must still be committed and delivered with her text.
   */
  @Test
  void anotherUsersClientIdCannotSuppressAMessage() {
    try (WsTestClient alice = as(0, tokens.token("alice", 600), "alice-1");
        WsTestClient carol = as(0, tokens.token("carol", 600), "carol-1");
        WsTestClient mallory = as(1, tokens.token("mallory", 600), "alice-1")) {
      alice.join("dedup");
      carol.join("dedup");
      mallory.join("dedup");
      mallory.send(send("dedup", "m-1", "fake"));
      mallory.await(f -> "ack".equals(f.getString("type")));
      alice.send(send("dedup", "m-1", "real"));
      JsonObject ack = alice.await(f -> "ack".equals(f.getString("type")));
      JsonObject real =
          carol.await(
              f ->
                  "message".equals(f.getString("type"))
                      && "alice".equals(f.getString("from"))
                      && "m-1".equals(f.getString("id")));
      assertThat(real.getString("text")).isEqualTo("real");
      assertThat(real.getLong("seq")).isEqualTo(ack.getLong("seq"));
    }
  }

  /** Mallory joins and leaves a group under alice's clientId: alice stays in it. */
  @Test
  void anotherUsersClientIdCannotForceALeave() {
    try (WsTestClient alice = as(0, tokens.token("alice", 600), "alice-2");
        WsTestClient carol = as(0, tokens.token("carol", 600), "carol-2");
        WsTestClient mallory = as(1, tokens.token("mallory", 600), "alice-2")) {
      alice.join("room");
      carol.join("room");
      mallory.join("room");
      mallory.send(new JsonObject().put("type", "leave").put("group", "room"));
      mallory.await(f -> "left".equals(f.getString("type")) && f.getBoolean("self", false));
      JsonObject seen =
          carol.await(
              f ->
                  "left".equals(f.getString("type"))
                      && "room".equals(f.getString("group"))
                      && !f.getBoolean("self", false));
      assertThat(seen.getString("user")).isEqualTo("mallory");
      assertThat(seen.getJsonArray("members").getList()).contains("alice", "carol");
      assertThat(alice.count(f -> "left".equals(f.getString("type")) && f.getBoolean("self")))
          .isZero();
      // alice still gets the group's messages
      carol.send(send("room", "c-1", "still there?"));
      alice.await(f -> "message".equals(f.getString("type")) && "c-1".equals(f.getString("id")));
    }
  }

  /** A token whose groups claim is team-* can neither join nor read nor leave another group. */
  @Test
  void theGroupsClaimLimitsJoinReadAndLeave() {
    try (WsTestClient alice = as(0, tokens.token("alice", 600), "alice-3")) {
      alice.join("secret");
      alice.send(send("secret", "s-1", "the plan"));
      alice.await(f -> "ack".equals(f.getString("type")));
    }
    try (WsTestClient dave =
        as(1, tokens.token("dave", 600, List.of("team-*", "lobby")), "dave-1")) {
      dave.join("team-a");
      dave.join("lobby");
      dave.send(new JsonObject().put("type", "join").put("group", "secret").put("since", 0));
      JsonObject refused = dave.awaitError("FORBIDDEN");
      assertThat(refused.getString("ref")).isEqualTo("join");
      dave.send(new JsonObject().put("type", "leave").put("group", "secret"));
      dave.await(
          f ->
              "error".equals(f.getString("type"))
                  && "FORBIDDEN".equals(f.getString("code"))
                  && "leave".equals(f.getString("ref")));
      dave.send(send("secret", "d-1", "let me in"));
      dave.awaitError("NOT_JOINED");
      // the connection stays usable, and nothing of the group reached it
      dave.send(send("team-a", "d-2", "hi team"));
      dave.await(f -> "ack".equals(f.getString("type")) && "d-2".equals(f.getString("id")));
      assertThat(dave.count(f -> "secret".equals(f.getString("group")) && !isError(f))).isZero();
      assertThat(dave.closeCode()).isNull();
    }
  }

  @Test
  void aTokenThatExpiresWithoutReauthClosesTheConnection() {
    try (WsTestClient erin = as(0, tokens.token("erin", 2), "erin-1");
        WsTestClient carol = as(1, tokens.token("carol", 600), "carol-4")) {
      erin.join("expiry");
      carol.join("expiry");
      JsonObject ask = erin.await(f -> "reauth".equals(f.getString("type")), CLOSE);
      assertThat(ask.getLong("graceMs")).isEqualTo(2000);
      assertThat(erin.awaitClose(CLOSE)).isEqualTo((short) 4006);
      JsonObject left =
          carol.await(
              f -> "left".equals(f.getString("type")) && "erin".equals(f.getString("user")));
      assertThat(left.getString("reason")).isEqualTo("disconnect");
    }
  }

  @Test
  void aTokenRenewedInBandKeepsTheConnection() {
    try (WsTestClient frank = as(0, tokens.token("frank", 2), "frank-1")) {
      frank.join("renew");
      frank.await(f -> "reauth".equals(f.getString("type")), CLOSE);
      long deadline = System.currentTimeMillis() + 2000;
      frank.send(new JsonObject().put("type", "auth").put("token", tokens.token("frank", 600)));
      JsonObject authed = frank.await(f -> "authed".equals(f.getString("type")));
      assertThat(authed.getLong("validUntil")).isGreaterThan(System.currentTimeMillis() + 500_000);
      // past the grace period of the old token, with margin for the pod's once-a-second check
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> System.currentTimeMillis() > deadline + 2500);
      frank.send(send("renew", "f-1", "still here"));
      frank.await(f -> "ack".equals(f.getString("type")) && "f-1".equals(f.getString("id")));
      assertThat(frank.closeCode()).isNull();
      // a new token must be for the same subject
      frank.send(new JsonObject().put("type", "auth").put("token", tokens.token("mallory", 600)));
      assertThat(frank.awaitError("UNAUTHENTICATED").getString("ref")).isEqualTo("auth");
      assertThat(frank.awaitClose(CLOSE)).isEqualTo((short) 4501);
    }
  }

  private static boolean isError(JsonObject f) {
    return "error".equals(f.getString("type"));
  }

  private static JsonObject send(String group, String id, String text) {
    return new JsonObject().put("type", "send").put("group", group).put("id", id).put("text", text);
  }
}
