package io.kubechat.operator.crd;

/** How chat pods authenticate their clients (docs/security.md). */
public enum AuthMode {
  /** Every hello carries a token signed by the configured key. */
  jwt,
  /** No authentication: anyone is whoever their hello says. Development only. */
  none
}
