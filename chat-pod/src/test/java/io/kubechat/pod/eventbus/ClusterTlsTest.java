package io.kubechat.pod.eventbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.config.ConfigException;
import io.kubechat.pod.config.EnvConfigLoader;
import io.kubechat.pod.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KUBECHAT_CLUSTER_TLS_DIR is checked at start, with a message that says what is wrong. */
class ClusterTlsTest {
  @TempDir Path tmp;

  private static Map<String, String> env(Path dir) {
    return Map.of("KUBECHAT_CLUSTER_TLS_DIR", dir.toAbsolutePath().toString());
  }

  @Test
  void aDirectoryOfTheClusterCaIsAClosedCluster() {
    Path dir = TestPki.newCa("ca").writeMemberDir(tmp.resolve("ok"), "m");
    var tls = EnvConfigLoader.load(env(dir)).clusterTls();
    assertThat(tls).isPresent();
    assertThat(tls.get().ca()).isEqualTo(dir.toAbsolutePath().resolve("ca.crt"));
    assertThat(tls.get().expiresWithin(Duration.ofDays(30))).isTrue(); // the test CA's 2 days
    assertThat(tls.get().expiresWithin(Duration.ofHours(1))).isFalse();
    assertThat(EnvConfigLoader.load(Map.of()).clusterTls()).as("unset: open").isEmpty();
    assertThat(EnvConfigLoader.load(Map.of("KUBECHAT_CLUSTER_TLS_DIR", " ")).clusterTls())
        .isEmpty();
  }

  @Test
  void missingFilesACertificateOfAnotherCaAndRelativePathsStopThePod() throws Exception {
    Path dir = TestPki.newCa("ca").writeMemberDir(tmp.resolve("partial"), "m");
    Files.delete(dir.resolve("tls.key"));
    assertThatThrownBy(() -> EnvConfigLoader.load(env(dir)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBECHAT_CLUSTER_TLS_DIR")
        .hasMessageContaining("tls.key is missing");

    Path mixed = TestPki.newCa("ca").writeMemberDir(tmp.resolve("mixed"), "m");
    Path other = TestPki.newCa("other").writeMemberDir(tmp.resolve("other"), "m");
    Files.copy(
        other.resolve("ca.crt"), mixed.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> EnvConfigLoader.load(env(mixed)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not signed by");

    Files.writeString(mixed.resolve("ca.crt"), "not a certificate");
    assertThatThrownBy(() -> EnvConfigLoader.load(env(mixed)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ca.crt");

    assertThatThrownBy(() -> EnvConfigLoader.load(Map.of("KUBECHAT_CLUSTER_TLS_DIR", "certs")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("an absolute directory path");
  }

  @Test
  void theFrameLimitIsBounded() {
    assertThat(EnvConfigLoader.load(Map.of()).eventBusMaxFrameBytes()).isEqualTo(64 << 20);
    assertThatThrownBy(
            () -> EnvConfigLoader.load(Map.of("KUBECHAT_EVENTBUS_MAX_FRAME_BYTES", "1024")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBECHAT_EVENTBUS_MAX_FRAME_BYTES");
  }
}
