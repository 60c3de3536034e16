package io.kubechat.client.cli;

import io.kubechat.client.protocol.Names;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubechat-chat mint-token}: signs a development token with vertx-auth-jwt, from the same
 * HMAC secret a pod verifies with, or from the private half of its PEM public key.
 */
final class MintToken {
  static final String HELP =
      """
      Usage: kubechat-chat mint-token --key-file FILE --sub USER [options]

      Prints a signed JWT for a pod with KUBECHAT_AUTH=jwt, for development and tests (in
      production an identity provider issues tokens). The key file is the pod's HMAC secret
      (HS256, at least 32 bytes, as in KUBECHAT_AUTH_JWT_KEY_FILE), or a PEM PKCS#8 private key
      (-----BEGIN PRIVATE KEY-----): RSA signs RS256, EC P-256 ES256 (P-384 ES384, P-521 ES512).

        --key-file FILE      the signing key (required)
        --sub USER           the token's subject, i.e. the chat user (required)
        --groups LIST        comma-separated group patterns the token may use (team-*,lobby);
                             default: no claim, every group
        --ttl DURATION       lifetime: seconds, or with s, m, h or d (default: 1h)
        --kid ID             key id header, for a pod that verifies with a JWKS
        --issuer ISS         the iss claim
        --audience AUD       the aud claim
        -h, --help           this help

      Example:
        export KUBECHAT_TOKEN="$(kubechat-chat mint-token --key-file hmac.key --sub alice)"
        kubechat-chat send hi
      """;

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final Pattern TTL = Pattern.compile("(\\d{1,9})([smhd]?)");

  private MintToken() {}

  /** The options of one run. */
  record Options(
      Path keyFile,
      String sub,
      List<String> groups,
      long ttlS,
      String kid,
      String issuer,
      String audience) {}

  static int run(List<String> args, Streams streams) {
    if (args.contains("-h") || args.contains("--help")) {
      streams.out().print(HELP);
      return 0;
    }
    try {
      streams.out().println(mint(parse(args), System.currentTimeMillis() / 1000));
      return 0;
    } catch (UsageException e) {
      streams.err().println("kubechat-chat mint-token: " + e.getMessage());
      streams.err().println("Try 'kubechat-chat mint-token --help'.");
      return 2;
    }
  }

  static Options parse(List<String> args) throws UsageException {
    Path keyFile = null;
    String sub = null;
    List<String> groups = null;
    long ttl = 3600;
    String kid = null;
    String issuer = null;
    String audience = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException(
            arg.startsWith("-") ? arg + " needs a value" : "unexpected " + arg);
      }
      switch (name) {
        case "--key-file" -> keyFile = path(value);
        case "--sub" -> sub = value;
        case "--groups" -> groups = groups(value);
        case "--ttl" -> ttl = ttl(value);
        case "--kid" -> kid = value;
        case "--issuer" -> issuer = value;
        case "--audience" -> audience = value;
        default -> throw new UsageException("unknown option " + name);
      }
    }
    if (keyFile == null) {
      throw new UsageException("--key-file is required");
    }
    if (sub == null || !Names.isName(sub)) {
      throw new UsageException("--sub is required and must match [A-Za-z0-9._-]{1,64}");
    }
    return new Options(keyFile, sub, groups, ttl, kid, issuer, audience);
  }

  /** The signed token, issued at {@code nowS}. */
  static String mint(Options o, long nowS) throws UsageException {
    PubSecKeyOptions key = key(o.keyFile());
    if (o.kid() != null) {
      key.setId(o.kid());
    }
    JsonObject claims =
        new JsonObject().put("sub", o.sub()).put("iat", nowS).put("exp", nowS + o.ttlS());
    if (o.groups() != null) {
      claims.put("groups", new JsonArray(o.groups()));
    }
    if (o.issuer() != null) {
      claims.put("iss", o.issuer());
    }
    if (o.audience() != null) {
      claims.put("aud", o.audience());
    }
    JWTOptions sign = new JWTOptions().setAlgorithm(key.getAlgorithm()).setNoTimestamp(true);
    if (o.kid() != null) {
      sign.setHeader(new JsonObject().put("kid", o.kid()));
    }
    Vertx vertx = Vertx.vertx();
    try {
      return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key))
          .generateToken(claims, sign);
    } catch (RuntimeException e) {
      throw new UsageException("cannot sign with " + o.keyFile() + ": " + e.getMessage());
    } finally {
      vertx.close();
    }
  }

  private static PubSecKeyOptions key(Path file) throws UsageException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read --key-file " + file + ": " + e.getMessage());
    }
    Matcher pem = PEM.matcher(text);
    if (!pem.find()) {
      String secret = text.stripTrailing();
      if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
        throw new UsageException("an HMAC secret must have at least 32 bytes: " + file);
      }
      return new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret);
    }
    if (!pem.group(1).equals("PRIVATE KEY")) {
      throw new UsageException(
          "PEM "
              + pem.group(1)
              + " in "
              + file
              + ": give a PKCS#8 private key (openssl pkcs8 -topk8 -nocrypt -in KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
    return new PubSecKeyOptions().setAlgorithm(algorithm(der, file)).setBuffer(pem.group(0));
  }

  private static String algorithm(byte[] der, Path file) throws UsageException {
    PrivateKey k = null;
    for (String type : List.of("RSA", "EC")) {
      try {
        k = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
        break;
      } catch (GeneralSecurityException e) {
        // not this type
      }
    }
    if (k == null) {
      throw new UsageException("not an RSA or EC private key: " + file);
    }
    if (k instanceof ECPrivateKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> "ES256";
        case 384 -> "ES384";
        case 521 -> "ES512";
        default -> throw new UsageException("EC keys must be P-256, P-384 or P-521: " + file);
      };
    }
    return "RS256";
  }

  private static Path path(String value) throws UsageException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException("--key-file is not a path: " + value);
    }
  }

  private static List<String> groups(String value) throws UsageException {
    List<String> out = new ArrayList<>();
    for (String g : value.split(",")) {
      if (!g.isBlank()) {
        if (!g.trim().matches("[A-Za-z0-9._*-]{1,64}")) {
          throw new UsageException("--groups patterns are names with * wildcards: " + g);
        }
        out.add(g.trim());
      }
    }
    return out;
  }

  private static long ttl(String value) throws UsageException {
    Matcher m = TTL.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
      throw new UsageException("--ttl must be a positive number of seconds, or with s, m, h, d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> n * 60;
      case "h" -> n * 3600;
      case "d" -> n * 86400;
      default -> n;
    };
  }
}
