package io.kubechat.pod.auth;

import io.kubechat.pod.auth.AuthConfig.Mode;
import io.kubechat.pod.auth.AuthConfig.VerificationKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link AuthConfig} from {@code KUBECHAT_AUTH*} variables and the key files they name. An
 * invalid value or an unreadable key fails with an {@link IllegalArgumentException} whose message
 * names the variable. The key type only picks the algorithm; JWT parsing and signature checks are
 * vertx-auth-jwt's ({@link JwtClientAuth}).
 */
public final class AuthEnv {
  public static final String AUTH = "KUBECHAT_AUTH";
  public static final String KEY_FILE = "KUBECHAT_AUTH_JWT_KEY_FILE";
  public static final String JWKS_FILE = "KUBECHAT_AUTH_JWKS_FILE";
  public static final String ISSUER = "KUBECHAT_AUTH_ISSUER";
  public static final String AUDIENCE = "KUBECHAT_AUTH_AUDIENCE";
  public static final String GROUPS_CLAIM = "KUBECHAT_AUTH_GROUPS_CLAIM";
  public static final String CLOCK_SKEW_S = "KUBECHAT_AUTH_CLOCK_SKEW_S";
  public static final String REAUTH_GRACE_S = "KUBECHAT_AUTH_REAUTH_GRACE_S";

  static final int DEFAULT_SKEW_S = 30;
  static final int DEFAULT_GRACE_S = 30;

  /** An HMAC key shorter than the hash (RFC 7518 3.2) is refused. */
  static final int MIN_SECRET_BYTES = 32;

  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /** One variable, for --help and the docs. */
  public record Variable(String name, String defaultValue, String range, String meaning) {}

  public static final List<Variable> VARIABLES =
      List.of(
          new Variable(
              AUTH,
              "jwt",
              "jwt | none",
              "client authentication: jwt = hello must carry a valid token; none = anyone is"
                  + " anyone (logged as a warning at start)"),
          new Variable(
              KEY_FILE,
              "(none)",
              "file path",
              "HMAC secret (HS256, at least 32 bytes) or PEM public key (RS256, ES256) that signs"
                  + " client tokens"),
          new Variable(
              JWKS_FILE, "(none)", "file path", "JWKS document with the keys that sign tokens"),
          new Variable(ISSUER, "(none: not checked)", "string", "required iss of client tokens"),
          new Variable(
              AUDIENCE,
              "(none: not checked)",
              "comma-separated strings",
              "accepted aud values of client tokens (one must match)"),
          new Variable(
              GROUPS_CLAIM,
              "groups",
              "claim name",
              "claim listing the group patterns (e.g. team-*) a token may use; absent: all"),
          new Variable(
              CLOCK_SKEW_S,
              Integer.toString(DEFAULT_SKEW_S),
              "0-600",
              "clock skew tolerated on exp, nbf and iat"),
          new Variable(
              REAUTH_GRACE_S,
              Integer.toString(DEFAULT_GRACE_S),
              "1-3600",
              "after its token expires a connection has this long to send auth with a new one,"
                  + " else it is closed 4006 TOKEN_EXPIRED"));

  private final Map<String, String> env;

  private AuthEnv(Map<String, String> env) {
    this.env = env;
  }

  public static AuthConfig read(Map<String, String> env) {
    return new AuthEnv(env).read();
  }

  private AuthConfig read() {
    String rawMode = value(AUTH);
    Mode mode =
        switch (rawMode == null ? "jwt" : rawMode.toLowerCase(Locale.ROOT)) {
          case "jwt" -> Mode.JWT;
          case "none" -> Mode.NONE;
          default -> throw invalid(AUTH, rawMode, "jwt or none");
        };
    Optional<VerificationKey> key = Optional.ofNullable(value(KEY_FILE)).map(this::key);
    Optional<String> jwks = Optional.ofNullable(value(JWKS_FILE)).map(this::jwks);
    if (mode == Mode.JWT && rawMode != null && key.isEmpty() && jwks.isEmpty()) {
      throw new IllegalArgumentException(
          AUTH + "=jwt needs " + KEY_FILE + " or " + JWKS_FILE + " (or " + AUTH + "=none)");
    }
    String claim = Optional.ofNullable(value(GROUPS_CLAIM)).orElse("groups");
    if (!CLAIM.matcher(claim).matches()) {
      throw invalid(GROUPS_CLAIM, claim, "a claim name of [A-Za-z0-9._:-]{1,64}");
    }
    List<String> audience = new ArrayList<>();
    for (String a : Optional.ofNullable(value(AUDIENCE)).orElse("").split(",")) {
      if (!a.isBlank()) {
        audience.add(a.trim());
      }
    }
    return new AuthConfig(
        mode,
        rawMode != null,
        key,
        jwks,
        Optional.ofNullable(value(ISSUER)),
        audience,
        claim,
        intIn(CLOCK_SKEW_S, DEFAULT_SKEW_S, 0, 600),
        intIn(REAUTH_GRACE_S, DEFAULT_GRACE_S, 1, 3600));
  }

  /** A PEM public key (its type picks RS256 or ES256/384/512) or else an HMAC secret (HS256). */
  private VerificationKey key(String file) {
    byte[] bytes = readFile(KEY_FILE, file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    Matcher pem = PEM.matcher(text);
    if (!pem.find()) {
      // a secret written with `echo` ends with a newline that is not part of it
      String secret = text.stripTrailing();
      if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "invalid "
                + KEY_FILE
                + ": an HMAC secret must have at least "
                + MIN_SECRET_BYTES
                + " bytes (or give a PEM public key)");
      }
      return new VerificationKey("HS256", secret);
    }
    if (!pem.group(1).equals("PUBLIC KEY")) {
      throw new IllegalArgumentException(
          "invalid "
              + KEY_FILE
              + ": PEM "
              + pem.group(1)
              + " found; the pod needs the signer's PUBLIC KEY (SubjectPublicKeyInfo)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
    return new VerificationKey(algorithmOf(der, file), pem.group(0));
  }

  private static String algorithmOf(byte[] der, String file) {
    PublicKey k = null;
    for (String type : List.of("RSA", "EC")) {
      try {
        k = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
        break;
      } catch (GeneralSecurityException e) {
        // not this type
      }
    }
    if (k == null) {
      throw new IllegalArgumentException(
          "invalid " + KEY_FILE + "='" + file + "': not an RSA or EC public key");
    }
    if (k instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      return switch (bits) {
        case 256 -> "ES256";
        case 384 -> "ES384";
        case 521 -> "ES512";
        default ->
            throw new IllegalArgumentException(
                "invalid " + KEY_FILE + ": EC keys must be P-256, P-384 or P-521");
      };
    }
    return "RS256";
  }

  private String jwks(String file) {
    String text = new String(readFile(JWKS_FILE, file), StandardCharsets.UTF_8);
    try {
      JsonArray keys = new JsonObject(text).getJsonArray("keys");
      if (keys == null || keys.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid " + JWKS_FILE + "='" + file + "': no \"keys\" in the JWKS document");
      }
      for (Object k : keys) {
        if (!(k instanceof JsonObject)) {
          throw new IllegalArgumentException(
              "invalid " + JWKS_FILE + "='" + file + "': every key must be a JSON object");
        }
      }
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(
          "invalid " + JWKS_FILE + "='" + file + "': not a JSON object with \"keys\"");
    }
    return text;
  }

  private static byte[] readFile(String var, String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException | InvalidPathException e) {
      throw new IllegalArgumentException(
          "invalid " + var + "='" + file + "': cannot read it (" + e.getMessage() + ")");
    }
  }

  private String value(String var) {
    String v = env.get(var);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private int intIn(String var, int dflt, int min, int max) {
    String v = value(var);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw invalid(var, v, "an integer from " + min + " to " + max);
  }

  private static IllegalArgumentException invalid(String var, String value, String expected) {
    return new IllegalArgumentException(
        "invalid " + var + "='" + value + "': expected " + expected);
  }
}
