package io.kubechat.client.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.client.ChatError;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
  private static ChatError error(String code) {
    return new ChatError(code, code, "join", false, false);
  }

  @Test
  void aLoneRequestOwnsTheError() {
    PendingRequests requests = new PendingRequests();
    requests.sent("a");
    assertThat(requests.refused(error("TOO_MANY_GROUPS")))
        .containsExactly(new PendingRequests.Refusal("a", error("TOO_MANY_GROUPS")));
    assertThat(requests.size()).isZero();
  }

  @Test
  void anErrorWaitsUntilEveryOtherRequestHadItsSuccess() {
    PendingRequests requests = new PendingRequests();
    requests.sent("a");
    requests.sent("b");
    requests.sent("c");
    assertThat(requests.refused(error("TOO_MANY_GROUPS"))).isEmpty();
    assertThat(requests.answered("a")).isEmpty();
    assertThat(requests.answered("c"))
        .containsExactly(new PendingRequests.Refusal("b", error("TOO_MANY_GROUPS")));
    assertThat(requests.isWaiting("b")).isFalse();
  }

  @Test
  void aLostRequestTakesAnUnclaimedErrorElseItIsJustGone() {
    PendingRequests requests = new PendingRequests();
    long first = requests.sent("a");
    requests.sent("b");
    assertThat(requests.isWaiting("a", first)).isTrue();
    assertThat(requests.lost("a")).isEmpty();
    assertThat(requests.refused(error("UNAVAILABLE")))
        .containsExactly(new PendingRequests.Refusal("b", error("UNAVAILABLE")));

    requests.sent("c");
    requests.sent("d");
    requests.refused(error("UNAVAILABLE"));
    assertThat(requests.lost("c"))
        .containsExactly(new PendingRequests.Refusal("c", error("UNAVAILABLE")));
    assertThat(requests.isWaiting("d")).isTrue();
  }

  @Test
  void aLaterRequestForTheSameGroupIsToldFromTheEarlierOne() {
    PendingRequests requests = new PendingRequests();
    long first = requests.sent("a");
    requests.answered("a");
    long second = requests.sent("a");
    assertThat(requests.isWaiting("a", first)).isFalse();
    assertThat(requests.isWaiting("a", second)).isTrue();
  }
}
