package io.kubechat.pod.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code KUBECHAT_AUTH=jwt}: vertx-auth-jwt checks the signature (HS256 secret, RS/ES public key or
 * JWKS, never {@code alg: none}), {@code exp}/{@code nbf}/{@code iat} with the clock skew, and the
 * issuer and audience when configured. This class adds what the chat needs on top: {@code exp} is
 * required, {@code sub} is the user and must be a valid name, a hello's {@code user} must be that
 * {@code sub}, and the groups claim becomes a {@link GroupAccess}.
 */
public final class JwtClientAuth implements ClientAuth {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final JWTAuth jwt;
  private final String groupsClaim;
  private final long skewMs;

  public JwtClientAuth(Vertx vertx, AuthConfig config) {
    JWTOptions checks = new JWTOptions().setLeeway(config.clockSkewS());
    config.issuer().ifPresent(checks::setIssuer);
    if (!config.audience().isEmpty()) {
      checks.setAudience(config.audience());
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
    config
        .key()
        .ifPresent(
            k ->
                options.addPubSecKey(
                    new PubSecKeyOptions().setAlgorithm(k.algorithm()).setBuffer(k.material())));
    config
        .jwks()
        .ifPresent(
            text -> {
              List<JsonObject> keys = new ArrayList<>();
              new JsonObject(text).getJsonArray("keys").forEach(k -> keys.add((JsonObject) k));
              options.setJwks(keys);
            });
    this.jwt = JWTAuth.create(vertx, options);
    this.groupsClaim = config.groupsClaim();
    this.skewMs = config.clockSkewS() * 1000L;
    refuseUnsecuredMode();
  }

  /**
   * vertx-auth-jwt skips keys it cannot use (a JWK with "use": "enc", an unsupported type) and,
   * left without any, accepts unsigned tokens. An unsigned probe token that passes means exactly
   * that: the pod must not start so.
   */
  private void refuseUnsecuredMode() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String unsigned =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(
                new JsonObject()
                    .put("sub", "probe")
                    .put("exp", System.currentTimeMillis() / 1000 + 60)
                    .encode()
                    .getBytes(StandardCharsets.UTF_8))
            + ".";
    Future<User> probe;
    try {
      probe = jwt.authenticate(new TokenCredentials(unsigned));
    } catch (RuntimeException e) {
      return; // refused: keys are in force
    }
    if (!probe.failed()) {
      throw new IllegalArgumentException(
          "none of the configured keys can verify token signatures (a JWK with \"use\": \"enc\","
              + " or of a type vertx-auth-jwt does not support?): refusing to accept unsigned"
              + " tokens");
    }
  }

  @Override
  public Future<Identity> hello(String claimedUser, String token) {
    if (token == null) {
      return Future.failedFuture(new AuthException("hello needs a 'token'"));
    }
    return verify(token)
        .compose(
            id ->
                claimedUser == null || claimedUser.equals(id.user())
                    ? Future.succeededFuture(id)
                    : Future.failedFuture(
                        new AuthException(
                            "hello 'user' is not the token's subject (sub '" + id.user() + "')")));
  }

  @Override
  public Future<Identity> renew(String user, String token) {
    return verify(token)
        .compose(
            id ->
                id.user().equals(user)
                    ? Future.succeededFuture(id)
                    : Future.failedFuture(
                        new AuthException("the new token is for another subject than " + user)));
  }

  private Future<Identity> verify(String token) {
    Future<User> checked;
    try {
      checked = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked.transform(
        ar -> {
          if (ar.failed()) {
            return Future.failedFuture(new AuthException("invalid token: " + reason(ar.cause())));
          }
          try {
            return Future.succeededFuture(identity(ar.result().attributes()));
          } catch (AuthException e) {
            return Future.failedFuture(e);
          }
        });
  }

  private Identity identity(JsonObject attributes) {
    JsonObject claims = attributes.getJsonObject("accessToken", new JsonObject());
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw new AuthException("invalid token: it has no 'exp'");
    }
    if (!(claims.getValue("sub") instanceof String sub) || !NAME.matcher(sub).matches()) {
      throw new AuthException("invalid token: 'sub' must be a name of " + NAME.pattern());
    }
    Object claim = claims.getValue(groupsClaim);
    GroupAccess groups;
    if (claim == null) {
      groups = GroupAccess.ALL;
    } else if (claim instanceof JsonArray list
        && list.stream().allMatch(String.class::isInstance)) {
      groups = GroupAccess.of(list.stream().map(String.class::cast).toList());
    } else {
      throw new AuthException("invalid token: '" + groupsClaim + "' must be a list of strings");
    }
    return new Identity(sub, groups, exp.longValue() * 1000 + skewMs);
  }

  /** vertx-auth's reason, bounded; it never contains the token. */
  private static String reason(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.length() <= 200 ? m : m.substring(0, 200);
  }
}
