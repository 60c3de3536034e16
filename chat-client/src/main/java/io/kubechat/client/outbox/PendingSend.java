package io.kubechat.client.outbox;

import io.kubechat.client.Ack;
import java.util.concurrent.CompletableFuture;

/**
 * A message sent by the application and not yet acknowledged. {@code sentOn} is the connection
 * (generation number) it was last written to, so that it is written at most once per connection
 * apart from resends after a retryable refusal.
 */
public final class PendingSend {
  private final String id;
  private final String group;
  private final String text;
  private final CompletableFuture<Ack> result;
  private long sentOn = -1;

  public PendingSend(String id, String group, String text, CompletableFuture<Ack> result) {
    this.id = id;
    this.group = group;
    this.text = text;
    this.result = result;
  }

  public String id() {
    return id;
  }

  public String group() {
    return group;
  }

  public String text() {
    return text;
  }

  public CompletableFuture<Ack> result() {
    return result;
  }

  public void markSent(long connection) {
    this.sentOn = connection;
  }

  public boolean sentOn(long connection) {
    return sentOn == connection;
  }

  /** The server refused it (retryable): it is to be written again, as if never written. */
  public void markRefused() {
    this.sentOn = -1;
  }
}
