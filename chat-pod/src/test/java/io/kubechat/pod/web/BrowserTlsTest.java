package io.kubechat.pod.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.pod.support.InProcessPod;
import io.kubechat.pod.support.TestPki;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page served by a pod with client-port TLS: loaded over https it connects with wss:// (the
 * port speaks nothing else, and a browser refuses ws:// from an https page) and chats. Chromium
 * trusts exactly the test server's key (by its SPKI hash), not every certificate.
 */
class BrowserTlsTest {
  static final String IP = "127.0.24.40";
  static final Path WORK = Path.of("target", "browser-tls-test");
  static InProcessPod pod;
  static ChromeDriver driver;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(HeadlessChromium.installed(), "chromium or chromedriver is missing");
    Files.createDirectories(WORK);
    Path tls =
        TestPki.newCa("browser-tls-ca").writeServerDir(Files.createTempDirectory(WORK, "tls-"), IP);
    pod =
        InProcessPod.start(IP, Map.of("KUBECHAT_CLIENT_TLS_DIR", tls.toAbsolutePath().toString()));
    driver =
        HeadlessChromium.start(
            WORK, "tls", List.of("--ignore-certificate-errors-spki-list=" + spkiHash(tls)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      HeadlessChromium.quit(driver);
    }
    if (pod != null) {
      pod.close();
    }
  }

  @Test
  void thePageOverHttpsChatsOverWss() {
    ChatPage page = new ChatPage(driver);
    page.open("https://" + IP + ":" + InProcessPod.PORT + "/?user=ann&group=secure-room");
    Awaitility.await("connected over wss")
        .atMost(Duration.ofSeconds(30))
        .until(() -> "connected".equals(page.state()));
    page.say("hello over wss");
    Awaitility.await("own message back")
        .atMost(Duration.ofSeconds(30))
        .until(() -> page.messages().stream().anyMatch(m -> m.contains("hello over wss")));
  }

  /** base64(SHA-256(SubjectPublicKeyInfo)) of the server certificate, as Chromium wants it. */
  private static String spkiHash(Path tls) throws Exception {
    try (InputStream in = Files.newInputStream(tls.resolve("tls.crt"))) {
      X509Certificate cert =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    }
  }
}
