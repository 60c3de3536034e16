package io.kubechat.pod.auth;

import io.vertx.core.Future;

/** {@code KUBECHAT_AUTH=none}: a client is whoever its hello says, as before authentication. */
public final class NoClientAuth implements ClientAuth {

  @Override
  public Future<Identity> hello(String claimedUser, String token) {
    if (claimedUser == null) {
      return Future.failedFuture(new AuthException("authentication is off: hello needs 'user'"));
    }
    return Future.succeededFuture(new Identity(claimedUser, GroupAccess.ALL, Long.MAX_VALUE));
  }

  @Override
  public Future<Identity> renew(String user, String token) {
    return Future.succeededFuture(new Identity(user, GroupAccess.ALL, Long.MAX_VALUE));
  }
}
