package io.kubechat.pod.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.support.TestTokens;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthEnvTest {
  private static final Path DIR = Path.of("target", "auth-env");

  private static String file(String name, String content) {
    return TestTokens.write(DIR.resolve(name), content).toAbsolutePath().toString();
  }

  @Test
  void unsetMeansJwtAndAnExplicitJwtNeedsAKey() {
    AuthConfig unset = AuthEnv.read(Map.of());
    assertThat(unset.mode()).isEqualTo(AuthConfig.Mode.JWT);
    assertThat(unset.explicit()).isFalse();
    assertThat(unset.hasKeys()).isFalse();
    assertThatThrownBy(() -> AuthEnv.read(Map.of("KUBECHAT_AUTH", "jwt")))
        .hasMessageContaining("KUBECHAT_AUTH=jwt needs KUBECHAT_AUTH_JWT_KEY_FILE");
    assertThat(AuthEnv.read(Map.of("KUBECHAT_AUTH", "NONE")).mode())
        .isEqualTo(AuthConfig.Mode.NONE);
    assertThatThrownBy(() -> AuthEnv.read(Map.of("KUBECHAT_AUTH", "basic")))
        .hasMessage("invalid KUBECHAT_AUTH='basic': expected jwt or none");
  }

  @Test
  void theKeyFilePicksTheAlgorithm() {
    String secret = file("secret", "0123456789abcdef0123456789abcdef\n");
    AuthConfig hs = AuthEnv.read(Map.of("KUBECHAT_AUTH_JWT_KEY_FILE", secret));
    assertThat(hs.key().orElseThrow().algorithm()).isEqualTo("HS256");
    assertThat(hs.key().orElseThrow().material()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(hs.key().orElseThrow().toString()).doesNotContain("0123");
    String rsa = file("rsa.pem", TestTokens.publicPem(TestTokens.rsa()));
    assertThat(
            AuthEnv.read(Map.of("KUBECHAT_AUTH_JWT_KEY_FILE", rsa)).key().orElseThrow().algorithm())
        .isEqualTo("RS256");
    String ec = file("ec.pem", TestTokens.publicPem(TestTokens.p256()));
    assertThat(
            AuthEnv.read(Map.of("KUBECHAT_AUTH_JWT_KEY_FILE", ec)).key().orElseThrow().algorithm())
        .isEqualTo("ES256");
  }

  @Test
  void badKeysAndSettingsNameTheirVariable() {
    String shortSecret = file("short", "too-short");
    assertThatThrownBy(() -> AuthEnv.read(Map.of("KUBECHAT_AUTH_JWT_KEY_FILE", shortSecret)))
        .hasMessageContaining("KUBECHAT_AUTH_JWT_KEY_FILE")
        .hasMessageContaining("at least 32 bytes");
    String priv =
        file("private.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> AuthEnv.read(Map.of("KUBECHAT_AUTH_JWT_KEY_FILE", priv)))
        .hasMessageContaining("PUBLIC KEY");
    assertThatThrownBy(
            () -> AuthEnv.read(Map.of("KUBECHAT_AUTH_JWT_KEY_FILE", DIR + "/missing.pem")))
        .hasMessageContaining("cannot read it");
    String notJwks = file("bad.json", "{\"keys\": 3}");
    assertThatThrownBy(() -> AuthEnv.read(Map.of("KUBECHAT_AUTH_JWKS_FILE", notJwks)))
        .hasMessageContaining("KUBECHAT_AUTH_JWKS_FILE");
    assertThatThrownBy(() -> AuthEnv.read(Map.of("KUBECHAT_AUTH_CLOCK_SKEW_S", "-1")))
        .hasMessage("invalid KUBECHAT_AUTH_CLOCK_SKEW_S='-1': expected an integer from 0 to 600");
  }

  @Test
  void groupPatterns() {
    GroupAccess a = GroupAccess.of(List.of("team-*", "lobby"));
    assertThat(a.allows("team-a")).isTrue();
    assertThat(a.allows("team-")).isTrue();
    assertThat(a.allows("lobby")).isTrue();
    assertThat(a.allows("lobby2")).isFalse();
    assertThat(a.allows("xteam-a")).isFalse();
    assertThat(GroupAccess.of(List.of("a.b")).allows("aXb")).isFalse(); // '.' is literal
    assertThat(GroupAccess.of(List.of()).allows("any")).isFalse();
    assertThat(GroupAccess.ALL.allows("any")).isTrue();
  }
}
