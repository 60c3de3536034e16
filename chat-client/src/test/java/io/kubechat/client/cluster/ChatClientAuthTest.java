package io.kubechat.client.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatClient;
import io.kubechat.client.ConnectionState;
import io.kubechat.client.Recorder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's tokens against a real pod (127.0.22.20) with HS256 authentication, no clock skew and
 * a 2 s re-auth grace: a supplier is asked on every connect and before expiry, the client answers
 * the pod's reauth, and a token that cannot be renewed ends in a refused reconnect.
 */
class ChatClientAuthTest {
  private static final String SECRET = "client-auth-" + UUID.randomUUID();
  private static final Duration LONG = Duration.ofSeconds(30);
  private static PodCluster cluster;
  private static Vertx vertx;
  private static JWTAuth signer;

  @BeforeAll
  static void startPod() throws Exception {
    String jar = System.getProperty("kubechat.podJar");
    assumeTrue(jar != null && Files.exists(Path.of(jar)), "no chat-pod jar at " + jar);
    Path key = Path.of("target", "client-auth", "hmac.key");
    Files.createDirectories(key.getParent());
    Files.writeString(key, SECRET);
    vertx = Vertx.vertx();
    signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    cluster =
        new PodCluster(
            Path.of(jar),
            List.of("127.0.22.20"),
            Path.of("target", "pod-logs"),
            Map.of(
                "KUBECHAT_AUTH", "jwt",
                "KUBECHAT_AUTH_JWT_KEY_FILE", key.toAbsolutePath().toString(),
                "KUBECHAT_AUTH_CLOCK_SKEW_S", "0",
                "KUBECHAT_AUTH_REAUTH_GRACE_S", "2"));
    cluster.startAll();
    cluster.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopPod() {
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  private static String token(String sub, long ttlS) {
    long now = System.currentTimeMillis() / 1000;
    return signer.generateToken(
        new JsonObject().put("sub", sub).put("exp", now + ttlS), new JWTOptions());
  }

  private static ChatClient client(Recorder recorder, ChatClient.Builder b) {
    return b.endpoints(List.of(cluster.wsUri(0)))
        .pingInterval(Duration.ofSeconds(1))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .listener(recorder)
        .connect();
  }

  /** Tokens of 3 s each: the client renews them in band and never reconnects. */
  @Test
  void aSupplierRenewsTheTokenBeforeItExpires() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Recorder recorder = new Recorder();
    try (ChatClient c =
        client(
            recorder,
            ChatClient.builder()
                .tokenSupplier(
                    () -> {
                      asked.incrementAndGet();
                      return token("alice", 3);
                    }))) {
      assertThat(c.awaitConnected(LONG)).isTrue();
      c.join("renewed").get(10, TimeUnit.SECONDS);
      long start = System.currentTimeMillis();
      // well past the first token's expiry and the pod's grace period
      Awaitility.await()
          .atMost(LONG)
          .until(() -> System.currentTimeMillis() > start + 8000 && asked.get() >= 4);
      Ack ack = c.send("renewed", "still me").get(10, TimeUnit.SECONDS);
      assertThat(ack.seq()).isPositive();
      assertThat(recorder.connects()).isEqualTo(1);
      assertThat(c.state()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  /**
   * The supplier has nothing new before expiry (the same token again), only once it ran out, when
   * the pod asks (reauth): the client sends it then, within the grace period, and stays connected.
   */
  @Test
  void theClientAnswersThePodsReauth() throws Exception {
    String first = token("bob", 2);
    long firstExpMs = expMs(first);
    AtomicInteger asked = new AtomicInteger();
    Recorder recorder = new Recorder();
    try (ChatClient c =
        client(
            recorder,
            ChatClient.builder()
                .tokenSupplier(
                    () -> {
                      asked.incrementAndGet();
                      return System.currentTimeMillis() < firstExpMs ? first : token("bob", 600);
                    }))) {
      assertThat(c.awaitConnected(LONG)).isTrue();
      c.join("reauth-b").get(10, TimeUnit.SECONDS);
      // past the first token's expiry, the pod's grace period and its once-a-second check
      Awaitility.await().atMost(LONG).until(() -> System.currentTimeMillis() > firstExpMs + 4000);
      assertThat(c.send("reauth-b", "after reauth").get(10, TimeUnit.SECONDS).seq()).isPositive();
      assertThat(recorder.connects()).isEqualTo(1);
      assertThat(asked.get()).isGreaterThanOrEqualTo(3); // connect, before expiry, on reauth
    }
  }

  /** A fixed token cannot be renewed: the pod closes 4006, the reconnect is refused, FAILED. */
  @Test
  void aFixedTokenEndsInARefusedReconnect() throws Exception {
    Recorder recorder = new Recorder();
    try (ChatClient c = client(recorder, ChatClient.builder().token(token("carol", 2)))) {
      assertThat(c.awaitConnected(LONG)).isTrue();
      Awaitility.await().atMost(LONG).until(() -> c.state() == ConnectionState.FAILED);
      assertThat(recorder.states)
          .anySatisfy(s -> assertThat(String.valueOf(s.reason())).contains("4006"));
      assertThat(recorder.states.get(recorder.states.size() - 1).reason())
          .contains("UNAUTHENTICATED");
    }
  }

  private static long expMs(String jwt) {
    String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    return new JsonObject(payload).getLong("exp") * 1000;
  }
}
