package io.kubechat.pod.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.TestCluster;
import io.kubechat.pod.support.TestTokens;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The key sources against one real pod each (127.0.22.10-12): an RS256 PEM public key, a JWKS
 * document with an ES256 key, and no setting at all (jwt without a key: every client refused).
 */
class JwtKeysTest {
  private static final int PORT = TestCluster.PORT;
  private static final Duration CLOSE = Duration.ofSeconds(20);

  private final Vertx vertx = Vertx.vertx();
  private TestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    vertx.close();
  }

  private TestCluster pod(String name, String ip, Map<String, String> env) {
    cluster = TestCluster.start(name, List.of(ip), env);
    cluster.awaitAgreedLeader(Duration.ofSeconds(60));
    return cluster;
  }

  private JsonObject hello(String ip, JsonObject hello) {
    try (WsTestClient c = WsTestClient.connect(vertx, ip, PORT)) {
      c.send(hello.put("type", "hello"));
      JsonObject answer =
          c.await(
              f -> "welcome".equals(f.getString("type")) || "error".equals(f.getString("type")));
      if ("error".equals(answer.getString("type"))) {
        assertThat(c.awaitClose(CLOSE)).isEqualTo((short) 4501);
      }
      return answer;
    }
  }

  private JsonObject helloWith(String ip, String token) {
    return hello(ip, new JsonObject().put("clientId", "c-1").put("token", token));
  }

  @Test
  void rs256WithAPemPublicKey() {
    KeyPair pair = TestTokens.rsa();
    Path pem =
        TestTokens.write(Path.of("target", "jwt-keys", "rsa.pem"), TestTokens.publicPem(pair));
    String ip = "127.0.22.10";
    pod("jwt-rsa", ip, Map.of("KUBECHAT_AUTH", "jwt", "KUBECHAT_AUTH_JWT_KEY_FILE", abs(pem)));
    JsonObject welcome = helloWith(ip, TestTokens.of(vertx, pair, null).token("alice", 600));
    assertThat(welcome.getString("type")).isEqualTo("welcome");
    assertThat(welcome.getString("user")).isEqualTo("alice");
    // another RSA key, and an HS256 token (whatever its secret) are refused
    String other = TestTokens.of(vertx, TestTokens.rsa(), null).token("alice", 600);
    assertThat(helloWith(ip, other).getString("code")).isEqualTo("UNAUTHENTICATED");
    String hmac = TestTokens.hs256(vertx, "x".repeat(40)).token("alice", 600);
    assertThat(helloWith(ip, hmac).getString("code")).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void es256FromAJwksDocument() {
    KeyPair pair = TestTokens.p256();
    Path jwks =
        TestTokens.write(Path.of("target", "jwt-keys", "jwks.json"), TestTokens.jwks(pair, "k1"));
    String ip = "127.0.22.11";
    pod("jwt-jwks", ip, Map.of("KUBECHAT_AUTH", "jwt", "KUBECHAT_AUTH_JWKS_FILE", abs(jwks)));
    JsonObject welcome = helloWith(ip, TestTokens.of(vertx, pair, "k1").token("bob", 600));
    assertThat(welcome.getString("type")).isEqualTo("welcome");
    assertThat(welcome.getString("user")).isEqualTo("bob");
    // a stranger's P-256 key under the same kid is refused
    String forged = TestTokens.of(vertx, TestTokens.p256(), "k1").token("bob", 600);
    assertThat(helloWith(ip, forged).getString("code")).isEqualTo("UNAUTHENTICATED");
  }

  /** KUBECHAT_AUTH unset (an empty value is unset) and no key: the pod refuses every client. */
  @Test
  void withNoSettingAnonymousClientsAreRefused() throws Exception {
    String ip = "127.0.22.12";
    pod("jwt-unset", ip, Map.of("KUBECHAT_AUTH", ""));
    JsonObject refused = hello(ip, new JsonObject().put("user", "alice").put("clientId", "c-1"));
    assertThat(refused.getString("code")).isEqualTo("UNAUTHENTICATED");
    String token = TestTokens.hs256(vertx, "y".repeat(40)).token("alice", 600);
    assertThat(helloWith(ip, token).getString("code")).isEqualTo("UNAUTHENTICATED");
    assertThat(Files.readString(cluster.pod("pod-1").logFile().toPath()))
        .contains("it refuses every client");
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().toString();
  }
}
