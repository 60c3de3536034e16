package io.kubechat.pod.auth;

/** A token or hello was refused; the message says why (never the token itself). */
public final class AuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuthException(String message) {
    super(message, null, false, false);
  }
}
