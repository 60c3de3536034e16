package io.kubechat.pod.auth;

import java.util.List;
import java.util.Optional;

/**
 * How this pod authenticates its clients (docs/security.md), read by {@link AuthEnv}.
 *
 * @param mode {@code jwt} or {@code none}
 * @param explicit whether {@code KUBECHAT_AUTH} was set (unset means jwt)
 * @param key the verification key of {@code KUBECHAT_AUTH_JWT_KEY_FILE}, if any
 * @param jwks the JSON text of {@code KUBECHAT_AUTH_JWKS_FILE}, if any
 * @param issuer the required {@code iss}, if any
 * @param audience accepted {@code aud} values (any of them); empty: not checked
 * @param groupsClaim the claim that lists the group patterns a token may use
 * @param clockSkewS tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param reauthGraceS how long a connection whose token expired may take to send a new one
 */
public record AuthConfig(
    Mode mode,
    boolean explicit,
    Optional<VerificationKey> key,
    Optional<String> jwks,
    Optional<String> issuer,
    List<String> audience,
    String groupsClaim,
    int clockSkewS,
    int reauthGraceS) {

  public enum Mode {
    JWT,
    NONE
  }

  /** One key of a key file: the JWS algorithm it verifies and its text (secret or PEM). */
  public record VerificationKey(String algorithm, String material) {
    @Override
    public String toString() {
      return "VerificationKey[" + algorithm + "]"; // never the secret
    }
  }

  public AuthConfig {
    audience = List.copyOf(audience);
  }

  /** Whether any key to verify tokens with is configured. */
  public boolean hasKeys() {
    return key.isPresent() || jwks.isPresent();
  }

  /** No authentication (tests, {@code local-cluster.sh}). */
  public static AuthConfig none() {
    return new AuthConfig(
        Mode.NONE,
        true,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        "groups",
        AuthEnv.DEFAULT_SKEW_S,
        AuthEnv.DEFAULT_GRACE_S);
  }
}
