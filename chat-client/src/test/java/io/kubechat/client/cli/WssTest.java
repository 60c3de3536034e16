package io.kubechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.client.Ack;
import io.kubechat.client.ChatClient;
import io.kubechat.client.ConnectionState;
import io.kubechat.client.Recorder;
import io.kubechat.client.cluster.PodCluster;
import io.kubechat.client.tls.ClientTrust;
import io.kubechat.pod.support.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wss://} against a real pod process (127.0.24.20) serving its client port with a
 * certificate of a test CA: the Java client trusting that CA (PEM file or trust store) chats, one
 * with the JVM's default trust is refused at the handshake, and the CLI's {@code --ca-file} and
 * {@code KUBECHAT_CA_FILE} work.
 */
class WssTest {
  private static final String IP = "127.0.24.20";
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Path DIR = Path.of("target", "wss-test-" + UUID.randomUUID());
  private static PodCluster cluster;
  private static Path caFile;

  @BeforeAll
  static void startPod() throws Exception {
    String jar = System.getProperty("kubechat.podJar");
    assumeTrue(jar != null && Files.exists(Path.of(jar)), "no chat-pod jar at " + jar);
    Path tls = TestPki.newCa("wss-test-ca").writeServerDir(DIR.resolve("tls"), IP);
    caFile = tls.resolve("ca.crt");
    cluster =
        new PodCluster(
            Path.of(jar),
            List.of(IP),
            Path.of("target", "pod-logs"),
            Map.of(
                "KUBECHAT_AUTH",
                "none",
                "KUBECHAT_CLIENT_TLS_DIR",
                tls.toAbsolutePath().toString()));
    cluster.startAll();
    cluster.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopPod() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ChatClient.Builder client(Recorder recorder) {
    return ChatClient.builder()
        .endpoints(List.of(cluster.wssUri(0)))
        .user("alice")
        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .listener(recorder);
  }

  @Test
  void aClientTrustingTheCaFileChatsOverWss() throws Exception {
    Recorder recorder = new Recorder();
    try (ChatClient c = client(recorder).trustCaFile(caFile).connect()) {
      assertThat(c.awaitConnected(LONG)).isTrue();
      c.join("wss-room").get(10, TimeUnit.SECONDS);
      Ack ack = c.send("wss-room", "encrypted").get(10, TimeUnit.SECONDS);
      assertThat(ack.seq()).isPositive();
      Awaitility.await()
          .atMost(LONG)
          .until(() -> recorder.messages.stream().anyMatch(m -> "encrypted".equals(m.text())));
    }
  }

  @Test
  void aClientTrustingAPkcs12TrustStoreConnects() throws Exception {
    Path store = DIR.resolve("trust.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    try (OutputStream out = Files.newOutputStream(store)) {
      ks.store(out, "changeit".toCharArray());
    }
    try (ChatClient c =
        client(new Recorder()).trust(ClientTrust.trustStore(store, "changeit")).connect()) {
      assertThat(c.awaitConnected(LONG)).isTrue();
    }
  }

  @Test
  void theJvmDefaultTrustRefusesAPrivateCa() throws Exception {
    Recorder recorder = new Recorder();
    try (ChatClient c = client(recorder).connect()) {
      // several attempts fail at the handshake; none reaches the pod
      Awaitility.await().atMost(LONG).until(() -> recorder.states.size() >= 4);
      assertThat(c.state()).isNotEqualTo(ConnectionState.CONNECTED);
      assertThat(recorder.states).noneMatch(s -> s.current() == ConnectionState.CONNECTED);
    }
  }

  @Test
  void aPlainWsClientCannotTalkToTheTlsPort() throws Exception {
    Recorder recorder = new Recorder();
    try (ChatClient c =
        ChatClient.builder()
            .endpoints(List.of(cluster.wsUri(0)))
            .user("alice")
            .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
            .listener(recorder)
            .connect()) {
      Awaitility.await().atMost(LONG).until(() -> recorder.states.size() >= 4);
      assertThat(recorder.states).noneMatch(s -> s.current() == ConnectionState.CONNECTED);
    }
  }

  @Test
  void aCaFileThatIsNotACertificateIsRefusedWhenTheClientIsBuilt() throws Exception {
    Path bad = Files.writeString(DIR.resolve("bad.crt"), "not PEM");
    assertThatThrownBy(() -> client(new Recorder()).trustCaFile(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.crt");
  }

  @Test
  void theCliSendsOverWssWithCaFile() {
    String group = "cli-wss-" + UUID.randomUUID().toString().substring(0, 6);
    CliRun sent =
        CliRun.of(
            Map.of("USER", "tester"),
            "send",
            "--server",
            cluster.wssUri(0).toString(),
            "--ca-file",
            caFile.toString(),
            "--group",
            group,
            "hello over tls");
    assertThat(sent.exit()).as(sent.err()).isZero();
    CliRun tail =
        CliRun.of(
            Map.of("USER", "tester", "KUBECHAT_CA_FILE", caFile.toString()),
            "tail",
            "--server",
            cluster.wssUri(0).toString(),
            "--group",
            group,
            "--since",
            "0",
            "--count",
            "1",
            "--timeout",
            "30");
    assertThat(tail.exit()).as(tail.err()).isZero();
    assertThat(tail.out()).contains("hello over tls");
  }

  @Test
  void theCliRefusesAMissingCaFileAsAUsageError() {
    CliRun run =
        CliRun.of(
            Map.of("USER", "tester"),
            "send",
            "--server",
            cluster.wssUri(0).toString(),
            "--ca-file",
            DIR.resolve("absent.crt").toString(),
            "x");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--ca-file").contains("absent.crt");
  }
}
