package io.kubechat.pod.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.support.InProcessPod;
import io.kubechat.pod.support.TestPki;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A renewed certificate in KUBECHAT_CLIENT_TLS_DIR serves new connections without a restart, and
 * connections made before it stay open.
 */
class ClientTlsRotationTest {
  private static final String IP = "127.0.24.2";

  @TempDir Path tmp;

  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    TestPki oldCa = TestPki.newCa("old-ca");
    TestPki newCa = TestPki.newCa("new-ca");
    Path dir = oldCa.writeServerDir(tmp.resolve("tls"), IP);
    Path oldTrust = oldCa.writeCaFile(tmp.resolve("old.crt"));
    Path newTrust = newCa.writeCaFile(tmp.resolve("new.crt"));
    Vertx vertx = Vertx.vertx();
    try (InProcessPod pod =
            InProcessPod.start(
                IP,
                Map.of(
                    "KUBECHAT_CLIENT_TLS_DIR", dir.toString(),
                    "KUBECHAT_CLIENT_TLS_RELOAD_S", "1",
                    "KUBECHAT_CLIENT_IDLE_TIMEOUT_S", "120"));
        WsTestClient before = connect(vertx, oldTrust)) {
      assertThatThrownBy(() -> connect(vertx, newTrust).close())
          .as("not renewed yet")
          .isInstanceOf(AssertionError.class);

      // what the kubelet does when cert-manager renews the Secret: new files swapped in whole
      Path staged = newCa.writeServerDir(tmp.resolve("staged"), IP);
      for (String f : new String[] {"tls.key", "tls.crt", "ca.crt"}) {
        Files.move(
            staged.resolve(f),
            dir.resolve(f),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }

      Awaitility.await("the new certificate is served")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                connect(vertx, newTrust).close();
                return true;
              });
      assertThatThrownBy(() -> connect(vertx, oldTrust).close())
          .as("the old certificate is no longer served")
          .isInstanceOf(AssertionError.class);

      // the connection made before the renewal still works
      before.send(new JsonObject().put("type", "hello").put("user", "early").put("clientId", "e1"));
      before.await(f -> "welcome".equals(f.getString("type")));
      assertThat(before.join("after-rotation").getString("group")).isEqualTo("after-rotation");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static WsTestClient connect(Vertx vertx, Path trust) {
    return WsTestClient.connect(
        vertx,
        WsTestClient.options()
            .setSsl(true)
            .setVerifyHost(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString())),
        IP,
        InProcessPod.PORT);
  }
}
