package io.kubechat.pod.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.support.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JwtClientAuthTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  private static AuthConfig jwks(String text) {
    return new AuthConfig(
        AuthConfig.Mode.JWT,
        true,
        Optional.empty(),
        Optional.of(text),
        Optional.empty(),
        List.of(),
        "groups",
        0,
        30);
  }

  /** A JWKS whose only key is for encryption leaves nothing to verify with: no start. */
  @Test
  void aJwksWithoutASigningKeyIsRefusedRatherThanAcceptingUnsignedTokens() {
    KeyPair pair = TestTokens.p256();
    JsonObject doc = new JsonObject(TestTokens.jwks(pair, "k1"));
    doc.getJsonArray("keys").getJsonObject(0).put("use", "enc");
    assertThatThrownBy(() -> new JwtClientAuth(vertx, jwks(doc.encode())))
        .hasMessageContaining("refusing to accept unsigned tokens");
    // the same key for signatures is fine, and verifies
    JwtClientAuth ok = new JwtClientAuth(vertx, jwks(TestTokens.jwks(pair, "k1")));
    Identity id =
        ok.hello(null, TestTokens.of(vertx, pair, "k1").token("ann", 60))
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    assertThat(id.user()).isEqualTo("ann");
  }
}
