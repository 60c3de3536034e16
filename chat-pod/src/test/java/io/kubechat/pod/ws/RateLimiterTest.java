package io.kubechat.pod.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void allowsBurstsOfTwiceTheRateThenDropsThenCallsAFlood() {
    RateLimiter r = new RateLimiter(10, 0);
    for (int i = 0; i < 20; i++) {
      assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.ALLOW);
    }
    assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.DROP);
    assertThat(r.firstDropInWindow()).isTrue();
    for (int i = 0; i < 9; i++) {
      assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.DROP);
    }
    assertThat(r.onFrame(0)).isEqualTo(RateLimiter.Verdict.FLOOD);
  }

  @Test
  void refillsAtTheRate() {
    RateLimiter r = new RateLimiter(10, 0);
    for (int i = 0; i < 20; i++) {
      r.onFrame(0);
    }
    assertThat(r.onFrame(50)).isEqualTo(RateLimiter.Verdict.DROP);
    assertThat(r.onFrame(150)).isEqualTo(RateLimiter.Verdict.ALLOW);
  }
}
