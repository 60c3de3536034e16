package io.kubechat.client;

/** Where a {@link ChatClient} stands with its server. */
public enum ConnectionState {
  /** Not started yet. */
  NEW,
  /** First connection attempt in progress. */
  CONNECTING,
  /** Connected and welcomed by a server; groups are (re)joined and the outbox is flushed. */
  CONNECTED,
  /** The connection was lost; waiting for the backoff delay or trying the next endpoint. */
  RECONNECTING,
  /** The server said not to reconnect as is (close code 4500-4999, or a refused hello). */
  FAILED,
  /** Closed by the application. */
  CLOSED;

  /** Whether the state is final: nothing more happens. */
  public boolean terminal() {
    return this == FAILED || this == CLOSED;
  }
}
