package io.kubechat.client.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRotationTest {

  @Test
  void rotatesThroughAllEndpoints() {
    URI a = URI.create("ws://127.0.4.2:8080/ws");
    URI b = URI.create("ws://127.0.4.3:8080/ws");
    EndpointRotation rotation = new EndpointRotation(List.of(a, b));
    assertThat(List.of(rotation.next(), rotation.next(), rotation.next())).containsExactly(a, b, a);
  }

  @Test
  void rejectsNonWebSocketAddresses() {
    assertThatThrownBy(() -> new EndpointRotation(List.of(URI.create("http://h:8080/ws"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ws://");
    assertThatThrownBy(() -> new EndpointRotation(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
