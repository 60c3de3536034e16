package io.kubechat.pod.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.support.TestPki;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reload at a time against a real TLS server (127.0.24.3): an unchanged directory changes
 * nothing, a renewal in which the key does not match the certificate is refused and the old pair
 * keeps serving, and the completed renewal is then served.
 */
class ClientTlsReloaderTest {
  private static final String IP = "127.0.24.3";
  private static final int PORT = 8443;

  @TempDir Path tmp;
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMismatchedRenewalKeepsTheOldPairUntilTheRenewalIsWhole() throws Exception {
    TestPki oldCa = TestPki.newCa("old");
    TestPki newCa = TestPki.newCa("new");
    Path dir = oldCa.writeServerDir(tmp.resolve("tls"), IP);
    Path oldTrust = oldCa.writeCaFile(tmp.resolve("old.crt"));
    Path newTrust = newCa.writeCaFile(tmp.resolve("new.crt"));
    ClientTls initial = ClientTls.load(dir, "KUBECHAT_CLIENT_TLS_DIR");
    server =
        get(
            vertx
                .createHttpServer(
                    new HttpServerOptions()
                        .setHost(IP)
                        .setPort(PORT)
                        .setSsl(true)
                        .setKeyCertOptions(initial.keyCert()))
                .webSocketHandler(ws -> {})
                .listen());
    ClientTlsReloader reloader =
        new ClientTlsReloader(vertx, server, initial, "KUBECHAT_CLIENT_TLS_DIR", 3_600_000, 10);

    assertThat(get(reloader.check())).as("nothing changed").isFalse();

    // half a renewal: the new certificate, still the old key
    Path staged = newCa.writeServerDir(tmp.resolve("staged"), IP);
    Files.move(
        staged.resolve("tls.crt"), dir.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> get(reloader.check()))
        .hasMessageContaining("is not the key of the certificate");
    connect(oldTrust).close();

    Files.move(
        staged.resolve("tls.key"), dir.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(get(reloader.check())).as("the whole renewal").isTrue();
    connect(newTrust).close();
    assertThatThrownBy(() -> connect(oldTrust).close()).isInstanceOf(AssertionError.class);
  }

  private WsTestClient connect(Path trust) {
    return WsTestClient.connect(
        vertx,
        WsTestClient.options()
            .setSsl(true)
            .setVerifyHost(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString())),
        IP,
        PORT);
  }

  private static <T> T get(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }
}
