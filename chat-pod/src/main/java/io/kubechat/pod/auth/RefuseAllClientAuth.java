package io.kubechat.pod.auth;

import io.vertx.core.Future;

/**
 * {@code KUBECHAT_AUTH} unset and no key configured: authentication is on (the safe default) but no
 * token can be verified, so every client is refused, with a reason that says so.
 */
public final class RefuseAllClientAuth implements ClientAuth {
  static final String WHY =
      "this pod has no key to verify tokens with (KUBECHAT_AUTH_JWT_KEY_FILE or"
          + " KUBECHAT_AUTH_JWKS_FILE); it refuses every client";

  @Override
  public Future<Identity> hello(String claimedUser, String token) {
    return Future.failedFuture(new AuthException(WHY));
  }

  @Override
  public Future<Identity> renew(String user, String token) {
    return Future.failedFuture(new AuthException(WHY));
  }
}
