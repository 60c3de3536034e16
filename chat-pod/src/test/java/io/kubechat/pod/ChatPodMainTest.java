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
    assertStopsWithExitCode2(
        "bad-config",
        "127.0.1.30",
        Map.of("KUBECHAT_HEARTBEAT_INTERVAL_MS", "often"),
        "KUBECHAT_HEARTBEAT_INTERVAL_MS",
        "often");
  }

  @Test
  void aClientTlsDirectoryWithoutAKeyStopsThePodNamingTheFile(@TempDir Path tmp) throws Exception {
    Path dir = TestPki.newCa("main-test-ca").writeServerDir(tmp.resolve("tls"), "127.0.24.30");
    Files.delete(dir.resolve("tls.key"));
    assertStopsWithExitCode2(
        "bad-tls",
        "127.0.24.30",
        Map.of("KUBECHAT_CLIENT_TLS_DIR", dir.toString()),
        "KUBECHAT_CLIENT_TLS_DIR",
        "tls.key is missing or not readable");
  }

  @Test
  void aMisspelledVariableIsWarnedAboutWithTheNearestKnownName() throws Exception {
    PodProcess p =
        new PodProcess(
            "typo",
            "127.0.14.20",
            Map.of("KUBECHAT_HEARTBEAT_INTERVL_MS", "300"),
            Path.of("target", "main-test-logs"));
    Files.deleteIfExists(p.logFile().toPath());
    p.start();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Files.exists(p.logFile().toPath())
                      && Files.readString(p.logFile().toPath())
                          .contains(
                              "unknown variable KUBECHAT_HEARTBEAT_INTERVL_MS is ignored; did you"
                                  + " mean KUBECHAT_HEARTBEAT_INTERVAL_MS?"));
    } finally {
      p.kill();
    }
  }

  /** A pod process started with {@code env} stops with exit code 2, its log naming {@code says}. */
  private static void assertStopsWithExitCode2(
      String node, String ip, Map<String, String> env, String... says) throws Exception {
    PodProcess p = new PodProcess(node, ip, env, Path.of("target", "main-test-logs"));
    Files.deleteIfExists(p.logFile().toPath());
    p.start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive());
      assertThat(p.exitCode()).isEqualTo(2);
      assertThat(Files.readString(p.logFile().toPath())).contains(says);
    } finally {
      p.kill();
    }
  }
}
