package io.kubechat.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.client.OutboxFullException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private static PendingSend send(String id, String group) {
    return new PendingSend(id, group, "text " + id, new CompletableFuture<>());
  }

  @Test
  void keepsSendOrderPerGroup() {
    Outbox outbox = new Outbox(10);
    outbox.add(send("1", "a"));
    outbox.add(send("2", "b"));
    outbox.add(send("3", "a"));
    assertThat(outbox.forGroup("a")).extracting(PendingSend::id).containsExactly("1", "3");
    assertThat(outbox.forGroup("b")).extracting(PendingSend::id).containsExactly("2");
  }

  @Test
  void refusesWhenFullWithAClearError() {
    Outbox outbox = new Outbox(2);
    outbox.add(send("1", "a"));
    outbox.add(send("2", "a"));
    assertThatThrownBy(() -> outbox.add(send("3", "a")))
        .isInstanceOf(OutboxFullException.class)
        .hasMessageContaining("outbox full")
        .satisfies(e -> assertThat(((OutboxFullException) e).capacity()).isEqualTo(2));
    outbox.remove("1");
    outbox.add(send("3", "a"));
    assertThat(outbox.size()).isEqualTo(2);
  }

  @Test
  void removeOnAckIsIdempotent() {
    Outbox outbox = new Outbox(5);
    PendingSend one = send("1", "a");
    outbox.add(one);
    assertThat(outbox.remove("1")).isSameAs(one);
    assertThat(outbox.remove("1")).isNull();
    assertThat(outbox.remove(null)).isNull();
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void rejectsADuplicateId() {
    Outbox outbox = new Outbox(5);
    outbox.add(send("1", "a"));
    assertThatThrownBy(() -> outbox.add(send("1", "b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void drainsAllOrOneGroup() {
    Outbox outbox = new Outbox(5);
    outbox.add(send("1", "a"));
    outbox.add(send("2", "b"));
    outbox.add(send("3", "a"));
    assertThat(outbox.all()).extracting(PendingSend::id).containsExactly("1", "2", "3");
    assertThat(outbox.drainGroup("a")).extracting(PendingSend::id).containsExactly("1", "3");
    assertThat(outbox.size()).isEqualTo(1);
    assertThat(outbox.drain()).extracting(PendingSend::id).containsExactly("2");
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void tracksTheConnectionAMessageWasWrittenTo() {
    PendingSend one = send("1", "a");
    assertThat(one.sentOn(1)).isFalse();
    one.markSent(1);
    assertThat(one.sentOn(1)).isTrue();
    assertThat(one.sentOn(2)).isFalse();
    one.markRefused();
    assertThat(one.sentOn(1)).isFalse();
  }
}
