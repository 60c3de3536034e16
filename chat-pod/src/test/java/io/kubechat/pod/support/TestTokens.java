package io.kubechat.pod.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Signs test tokens with vertx-auth-jwt, from a key the test made: an HMAC secret, an RSA or a
 * P-256 key pair (the pod gets the public half as PEM or as a JWKS document).
 */
public final class TestTokens {
  private final JWTAuth signer;
  private final String algorithm;
  private final String kid;

  private TestTokens(Vertx vertx, PubSecKeyOptions key, String algorithm, String kid) {
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
    this.algorithm = algorithm;
    this.kid = kid;
  }

  public static TestTokens hs256(Vertx vertx, String secret) {
    return new TestTokens(
        vertx, new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret), "HS256", null);
  }

  /** Signs with {@code pair}'s private key as RS256 (RSA) or ES256 (P-256). */
  public static TestTokens of(Vertx vertx, KeyPair pair, String kid) {
    String alg = pair.getPublic() instanceof RSAPublicKey ? "RS256" : "ES256";
    return new TestTokens(
        vertx,
        new PubSecKeyOptions()
            .setAlgorithm(alg)
            .setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))
            .setId(kid),
        alg,
        kid);
  }

  public static KeyPair rsa() {
    return generate("RSA", null);
  }

  public static KeyPair p256() {
    return generate("EC", new ECGenParameterSpec("secp256r1"));
  }

  private static KeyPair generate(String type, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(type);
      if (spec != null) {
        g.initialize(spec);
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as a PEM SubjectPublicKeyInfo, as KUBECHAT_AUTH_JWT_KEY_FILE takes it. */
  public static String publicPem(KeyPair pair) {
    return pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  /** A JWKS document with the public key of {@code pair} under {@code kid}. */
  public static String jwks(KeyPair pair, String kid) {
    JsonObject k = new JsonObject().put("kid", kid).put("use", "sig");
    if (pair.getPublic() instanceof RSAPublicKey r) {
      k.put("kty", "RSA").put("alg", "RS256").put("n", b64(r.getModulus(), 0));
      k.put("e", b64(r.getPublicExponent(), 0));
    } else {
      ECPublicKey e = (ECPublicKey) pair.getPublic();
      k.put("kty", "EC").put("alg", "ES256").put("crv", "P-256");
      k.put("x", b64(e.getW().getAffineX(), 32)).put("y", b64(e.getW().getAffineY(), 32));
    }
    return new JsonObject().put("keys", new JsonArray().add(k)).encodePrettily();
  }

  /** A token for {@code sub} valid for {@code ttlS} seconds from now (negative: expired). */
  public String token(String sub, long ttlS) {
    return token(new JsonObject().put("sub", sub), ttlS);
  }

  /** As {@link #token(String, long)} with a groups claim. */
  public String token(String sub, long ttlS, List<String> groups) {
    return token(new JsonObject().put("sub", sub).put("groups", new JsonArray(groups)), ttlS);
  }

  public String token(JsonObject claims, long ttlS) {
    claims.put("exp", System.currentTimeMillis() / 1000 + ttlS);
    JWTOptions o = new JWTOptions().setAlgorithm(algorithm);
    if (kid != null) {
      o.setHeader(new JsonObject().put("kid", kid));
    }
    return signer.generateToken(claims, o);
  }

  public static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** Unsigned big-endian, left-padded to {@code size} bytes when size > 0 (RFC 7518 6.2.1.2). */
  private static String b64(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    if (size > 0 && b.length < size) {
      byte[] padded = new byte[size];
      System.arraycopy(b, 0, padded, size - b.length, b.length);
      b = padded;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
