package io.kubechat.pod.config;

/** An invalid configuration value; the message names the variable. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
