package io.kubechat.pod.auth;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the pod's {@link ClientAuth} and says at start what it means for clients. */
public final class ClientAuthFactory {
  private static final Logger LOG = LoggerFactory.getLogger(ClientAuthFactory.class);

  private ClientAuthFactory() {}

  public static ClientAuth create(Vertx vertx, AuthConfig config) {
    if (config.mode() == AuthConfig.Mode.NONE) {
      LOG.warn(
          "KUBECHAT_AUTH=none: clients are not authenticated; anyone can send as any user and"
              + " read any group. Use it only for local development.");
      return new NoClientAuth();
    }
    if (!config.hasKeys()) {
      LOG.error(
          "client authentication is jwt (KUBECHAT_AUTH unset) but {}. Set a key, or"
              + " KUBECHAT_AUTH=none for development.",
          RefuseAllClientAuth.WHY);
      return new RefuseAllClientAuth();
    }
    LOG.info(
        "client authentication: jwt ({}{}), clock skew {} s, re-auth grace {} s",
        config.key().map(k -> k.algorithm() + " key").orElse(""),
        config.jwks().isPresent() ? (config.key().isPresent() ? " + JWKS" : "JWKS") : "",
        config.clockSkewS(),
        config.reauthGraceS());
    return new JwtClientAuth(vertx, config);
  }
}
