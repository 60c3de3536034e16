package io.kubechat.pod.auth;

import io.vertx.core.Future;

/**
 * Turns what a client presents in {@code hello} (and later {@code auth}) into an {@link Identity},
 * or fails with an {@link AuthException}. One per pod, shared by all its connections.
 */
public interface ClientAuth {

  /**
   * The identity of a {@code hello} with {@code claimedUser} (null when absent) and {@code token}
   * (null when absent).
   */
  Future<Identity> hello(String claimedUser, String token);

  /** The identity a new {@code token} gives a connection already authenticated as {@code user}. */
  Future<Identity> renew(String user, String token);
}
