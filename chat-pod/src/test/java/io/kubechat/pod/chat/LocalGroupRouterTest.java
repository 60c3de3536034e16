package io.kubechat.pod.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalGroupRouterTest {
  private final LocalGroupRouter router = new LocalGroupRouter();

  private static ChatEvent message(String group) {
    return new ChatEvent.Message(new ChatMessage(group, 0, "none", "u", "c", "m1", "hi", 1, "n"));
  }

  @Test
  void deliversOnlyToSubscribersOfTheGroup() {
    List<String> got = new ArrayList<>();
    router.subscribe("a", e -> got.add("a1:" + e.group()));
    router.subscribe("a", e -> got.add("a2:" + e.group()));
    router.subscribe("b", e -> got.add("b1:" + e.group()));
    assertThat(router.route(message("a"))).isEqualTo(2);
    assertThat(got).containsExactly("a1:a", "a2:a");
    assertThat(router.groupCount()).isEqualTo(2);
  }

  @Test
  void aFailingSubscriberDoesNotStopDeliveryToTheOthers() {
    List<String> got = new ArrayList<>();
    router.subscribe(
        "a",
        e -> {
          throw new IllegalStateException("WebSocket is closed");
        });
    router.subscribe("a", e -> got.add("ok"));
    router.route(message("a"));
    assertThat(got).containsExactly("ok");
  }

  @Test
  void aSubscriberMayUnsubscribeWhileBeingDelivered() {
    List<String> got = new ArrayList<>();
    LocalGroupRouter.Subscriber[] self = new LocalGroupRouter.Subscriber[1];
    self[0] = e -> router.unsubscribe("a", self[0]);
    router.subscribe("a", self[0]);
    router.subscribe("a", e -> got.add("ok"));
    router.route(message("a"));
    assertThat(got).containsExactly("ok");
    router.unsubscribe("a", e -> {});
    assertThat(router.groupCount()).isEqualTo(1);
  }
}
