package io.kubechat.client;

/** A send was refused because the outbox of unacknowledged messages is full. */
public final class OutboxFullException extends RuntimeException {
  private final int capacity;

  public OutboxFullException(int capacity) {
    super("outbox full: " + capacity + " messages are waiting for an acknowledgement");
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }
}
