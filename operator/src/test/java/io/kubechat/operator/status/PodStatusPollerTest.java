package io.kubechat.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poller against a local HTTP server answering /status as a chat pod would. */
class PodStatusPollerTest {
  static final String HOST = "127.0.3.7";
  static final ResourceID CLUSTER = new ResourceID("demo", "ns");

  final AtomicReference<String> body = new AtomicReference<>();
  final AtomicInteger code = new AtomicInteger(200);
  final List<Event> events = new CopyOnWriteArrayList<>();
  HttpServer server;
  PodStatusPoller poller;

  static String status(String role, long term, String leader, String memberState) {
    return """
    {"node":"demo-0","incarnation":"inc-1","version":"0.1.0","ready":true,"role":"%s",
     "term":%d,"leader":%s,"commitIndex":7,"clients":2,"groups":1,"extra":"ignored",
     "members":[{"node":"demo-1","incarnation":"inc-9","state":"%s","lastSeenMillisAgo":120,
                 "hearsUs":true}]}
    """
        .formatted(role, term, leader == null ? "null" : "\"" + leader + "\"", memberState);
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(HOST, 0), 8);
    server.createContext(
        "/status",
        ex -> {
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(code.get(), b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    server.start();
    poller =
        new PodStatusPoller(
            Duration.ofMillis(100), Duration.ofMillis(500), Clock.systemUTC(), id -> {});
    poller.setEventHandler(events::add);
    poller.start();
  }

  @AfterEach
  void stop() {
    poller.stop();
    if (server != null) {
      server.stop(0);
    }
  }

  String address() {
    return HOST + ":" + server.getAddress().getPort();
  }

  @Test
  void readsReportsAndTriggersAReconcileOnlyWhenSomethingThatMattersChanges() {
    body.set(status("FOLLOWER", 3, "demo-2", "ALIVE"));
    poller.track(CLUSTER, Map.of("demo-0", address()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PodObservation o = poller.observations(CLUSTER).get("demo-0");
              assertThat(o).isNotNull();
              assertThat(o.reachable()).isTrue();
              PodStatusReport r = o.current().orElseThrow();
              assertThat(r.role()).isEqualTo("FOLLOWER");
              assertThat(r.term()).isEqualTo(3);
              assertThat(r.leader()).isEqualTo("demo-2");
              assertThat(r.members())
                  .singleElement()
                  .satisfies(m -> assertThat(m.state()).isEqualTo("ALIVE"));
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    assertThat(events.get(0).getRelatedCustomResourceID()).isEqualTo(CLUSTER);

    body.set(
        status("FOLLOWER", 3, "demo-2", "ALIVE")
            .replace("\"clients\":2", "\"clients\":5")
            .replace("\"lastSeenMillisAgo\":120", "\"lastSeenMillisAgo\":480"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                poller.observations(CLUSTER).get("demo-0").current().orElseThrow().clients() == 5);
    assertThat(events).as("moving counters do not trigger reconciles").hasSize(1);

    body.set(status("LEADER", 4, "demo-0", "SUSPECT"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
  }

  @Test
  void aPodWithoutQuorumAnswering503IsStillRead() {
    code.set(503);
    body.set(status("CANDIDATE", 5, null, "DEAD"));
    poller.track(CLUSTER, Map.of("demo-0", address()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              // not polled yet: no observation (an assertion, so that it is waited for)
              assertThat(poller.observations(CLUSTER)).containsKey("demo-0");
              assertThat(poller.observations(CLUSTER).get("demo-0").current())
                  .hasValueSatisfying(r -> assertThat(r.role()).isEqualTo("CANDIDATE"));
            });
  }

  @Test
  void anUnreachablePodKeepsItsLastReportForItsIncarnation() {
    body.set(status("FOLLOWER", 3, "demo-2", "ALIVE"));
    poller.track(CLUSTER, Map.of("demo-0", address()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                poller.observations(CLUSTER).containsKey("demo-0")
                    && poller.observations(CLUSTER).get("demo-0").reachable());
    server.stop(0);
    server = null;
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PodObservation o = poller.observations(CLUSTER).get("demo-0");
              assertThat(o.reachable()).isFalse();
              assertThat(o.error()).contains("/status unreachable");
              assertThat(o.report())
                  .hasValueSatisfying(r -> assertThat(r.incarnation()).isEqualTo("inc-1"));
            });
    body.set("not json");
  }

  @Test
  void garbageIsAnErrorNotACrash() {
    body.set("<html>oops</html>");
    poller.track(CLUSTER, Map.of("demo-0", address()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PodObservation o = poller.observations(CLUSTER).get("demo-0");
              assertThat(o).isNotNull();
              assertThat(o.reachable()).isFalse();
              assertThat(o.error()).contains("HTTP 200");
            });
    poller.track(CLUSTER, Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> poller.observations(CLUSTER).isEmpty());
  }
}
