package io.kubechat.client.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void ceilingDoublesPerAttemptUpToTheMax() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), b -> b);
    assertThat(List.of(0, 1, 2, 3, 4, 5, 100))
        .extracting(backoff::ceilingMillis)
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
  }

  @Test
  void hugeAttemptsDoNotOverflow() {
    Backoff backoff = new Backoff(Duration.ofMillis(300), Duration.ofSeconds(30), b -> b);
    for (int attempt : new int[] {30, 61, 62, 63, 64, Integer.MAX_VALUE}) {
      assertThat(backoff.ceilingMillis(attempt)).isEqualTo(30_000L);
    }
  }

  @Test
  void fullJitterDrawsBetweenZeroAndTheCeiling() {
    List<Long> bounds = new ArrayList<>();
    Backoff low =
        new Backoff(
            Duration.ofMillis(100),
            Duration.ofSeconds(10),
            b -> {
              bounds.add(b);
              return 0;
            });
    assertThat(low.delay(3)).isEqualTo(Duration.ZERO);
    assertThat(bounds).containsExactly(800L);
    Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), b -> b);
    assertThat(high.delay(3)).isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void realRandomStaysWithinBoundsAndVaries() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      delays.add(backoff.delay(5).toMillis());
    }
    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0L, 400L));
    assertThat(delays.stream().distinct().count()).isGreaterThan(10);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
