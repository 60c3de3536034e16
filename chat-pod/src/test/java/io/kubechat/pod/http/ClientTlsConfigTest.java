package io.kubechat.pod.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.config.ConfigException;
import io.kubechat.pod.config.EnvConfigLoader;
import io.kubechat.pod.config.PodConfig;
import io.kubechat.pod.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KUBECHAT_CLIENT_TLS_DIR is checked at start: a pod with a bad directory does not start. */
class ClientTlsConfigTest {
  private static final String VAR = "KUBECHAT_CLIENT_TLS_DIR";

  @TempDir Path tmp;

  private PodConfig load(Path dir) {
    return EnvConfigLoader.load(Map.of(VAR, dir.toString()));
  }

  @Test
  void unsetMeansPlain() {
    assertThat(EnvConfigLoader.load(Map.of()).clientTls()).isEmpty();
  }

  @Test
  void aCertManagerLayoutIsAccepted() {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("ok"), "127.0.24.9");
    ClientTls tls = load(dir).clientTls().orElseThrow();
    assertThat(tls.dir()).isEqualTo(dir);
    assertThat(tls.certPem().toString()).contains("BEGIN CERTIFICATE");
  }

  @Test
  void caCrtIsOptional() throws Exception {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("noca"), "127.0.24.9");
    Files.delete(dir.resolve("ca.crt"));
    assertThat(load(dir).clientTls()).isPresent();
  }

  @Test
  void aMissingDirectoryIsRefused() {
    assertThatThrownBy(() -> load(tmp.resolve("absent")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(VAR)
        .hasMessageContaining("not a directory");
  }

  @Test
  void aRelativePathIsRefused() {
    assertThatThrownBy(() -> EnvConfigLoader.load(Map.of(VAR, "certs")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(VAR);
  }

  @Test
  void aMissingKeyIsRefused() throws Exception {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("nokey"), "127.0.24.9");
    Files.delete(dir.resolve("tls.key"));
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.key is missing or not readable");
  }

  @Test
  void anUnreadableKeyIsRefused() throws Exception {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("unreadable"), "127.0.24.9");
    Files.setPosixFilePermissions(
        dir.resolve("tls.key"), PosixFilePermissions.fromString("---------"));
    // root reads any file: the check is only meaningful for an ordinary user (as in the pod)
    Assumptions.assumeFalse(Files.isReadable(dir.resolve("tls.key")));
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.key is missing or not readable");
  }

  @Test
  void garbageInsteadOfACertificateIsRefused() throws Exception {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("garbage"), "127.0.24.9");
    Files.writeString(dir.resolve("tls.crt"), "not a certificate\n");
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.crt");
  }

  @Test
  void garbageInsteadOfAKeyIsRefused() throws Exception {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("badkey"), "127.0.24.9");
    Files.writeString(
        dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.key");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws Exception {
    TestPki ca = TestPki.newCa("ca");
    Path dir = ca.writeServerDir(tmp.resolve("a"), "127.0.24.9");
    Path other = ca.writeServerDir(tmp.resolve("b"), "127.0.24.9");
    Files.copy(
        other.resolve("tls.key"), dir.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not the key of the certificate");
  }

  @Test
  void aKeyPathThatIsADirectoryIsRefused() throws Exception {
    Path dir = TestPki.newCa("ca").writeServerDir(tmp.resolve("keydir"), "127.0.24.9");
    Files.delete(dir.resolve("tls.key"));
    Files.createDirectory(dir.resolve("tls.key"));
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls.key is missing or not readable");
  }

  @Test
  void anExpiredCertificateIsRefused() {
    Instant now = Instant.now();
    Path dir =
        TestPki.newCa("ca")
            .writeServerDir(
                tmp.resolve("expired"),
                "127.0.24.9",
                Date.from(now.minus(Duration.ofDays(10))),
                Date.from(now.minus(Duration.ofDays(1))));
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid now");
  }
}
