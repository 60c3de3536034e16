package io.kubechat.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubechat.pod.support.PodProcess;
import io.kubechat.pod.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process entry point: an invalid variable stops the pod at start, naming it. */
class ChatPodMainTest {

  @Test
  void anInvalidVariableStopsThePodWithAMessageNamingIt() throws Exception {
    PodProcess p =
        new PodProcess(
            "bad-config",
            "127.0.1.30",
            Map.of("KUBECHAT_HEARTBEAT_INTERVAL_MS", "often"),
            Path.of("target", "main-test-logs"));
    Files.deleteIfExists(p.logFile().toPath());
    p.start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
      assertThat(p.exitCode()).isEqualTo(2);
      assertThat(Files.readString(p.logFile().toPath()))
          .contains("KUBECHAT_HEARTBEAT_INTERVAL_MS")
          .contains("often");
    } finally {
      p.kill();
    }
  }

  @Test
  void aClientTlsDirectoryWithoutAKeyStopsThePodNamingTheFile(@TempDir Path tmp) throws Exception {
    Path dir = TestPki.newCa("main-test-ca").writeServerDir(tmp.resolve("tls"), "127.0.24.30");
    Files.delete(dir.resolve("tls.key"));
    PodProcess p =
        new PodProcess(
            "bad-tls",
            "127.0.24.30",
            Map.of("KUBECHAT_CLIENT_TLS_DIR", dir.toString()),
            Path.of("target", "main-test-logs"));
    Files.deleteIfExists(p.logFile().toPath());
    p.start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
      assertThat(p.exitCode()).isEqualTo(2);
      assertThat(Files.readString(p.logFile().toPath()))
          .contains("KUBECHAT_CLIENT_TLS_DIR")
          .contains("tls.key is missing or not readable");
    } finally {
      p.kill();
    }
  }
}
