package io.kubechat.pod.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collection;
import org.awaitility.Awaitility;

/** Waiting for a cluster of pod processes to be formed. */
public final class PodsReady {
  private PodsReady() {}

  /**
   * Every pod runs, is ready and sees all of them ALIVE, each hearing it (read on the admin port).
   */
  public static void awaitAllAlive(Collection<PodProcess> pods, int adminPort, Duration atMost) {
    Awaitility.await(pods.size() + " pods ALIVE everywhere")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (PodProcess p : pods) {
                assertThat(p.isAlive()).as("%s runs; log:\n%s", p.node(), p.logTail()).isTrue();
                JsonObject s = Http.status(p.ip(), adminPort);
                assertThat(s).as("status of %s", p.node()).isNotNull();
                assertThat(s.getBoolean("ready")).as("%s ready", p.node()).isTrue();
                assertThat(s.getJsonArray("members")).hasSize(pods.size());
                s.getJsonArray("members").stream()
                    .map(JsonObject.class::cast)
                    .forEach(
                        m -> {
                          assertThat(m.getString("state"))
                              .as("%s on %s", m.getString("node"), p.node())
                              .isEqualTo("ALIVE");
                          assertThat(m.getBoolean("hearsUs"))
                              .as("%s hears %s", m.getString("node"), p.node())
                              .isTrue();
                        });
              }
            });
  }
}
