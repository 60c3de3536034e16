package io.kubechat.pod.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubechat.pod.support.Http;
import io.kubechat.pod.support.InProcessPod;
import io.kubechat.pod.support.TestPki;
import io.kubechat.pod.support.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port with KUBECHAT_CLIENT_TLS_DIR: wss:// and https only; the admin port stays plain.
 */
class ClientTlsTest {
  private static final String IP = "127.0.24.1";

  @TempDir static Path tmp;
  private static TestPki ca;
  private static InProcessPod pod;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    ca = TestPki.newCa("client-tls-test-ca");
    Path dir = ca.writeServerDir(tmp.resolve("tls"), IP);
    pod = InProcessPod.start(IP, Map.of("KUBECHAT_CLIENT_TLS_DIR", dir.toString()));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (pod != null) {
      pod.close();
    }
  }

  private static PemTrustOptions trustCa() {
    return new PemTrustOptions().addCertPath(tmp.resolve("tls").resolve("ca.crt").toString());
  }

  @Test
  void aWssClientThatTrustsTheCaChats() {
    try (WsTestClient alice = tlsClient("alice");
        WsTestClient bob = tlsClient("bob")) {
      alice.join("tls-room");
      bob.join("tls-room");
      alice.send(
          new JsonObject()
              .put("type", "send")
              .put("group", "tls-room")
              .put("id", "a-1")
              .put("text", "over TLS"));
      JsonObject got =
          bob.await(f -> "message".equals(f.getString("type")) && "a-1".equals(f.getString("id")));
      assertThat(got.getString("text")).isEqualTo("over TLS");
      assertThat(got.getString("from")).isEqualTo("alice");
    }
  }

  @Test
  void tls12IsEnoughButThePortSpeaksNothingOlder() {
    WsTestClient c =
        WsTestClient.connect(
            vertx,
            WsTestClient.options()
                .setSsl(true)
                .setTrustOptions(trustCa())
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2")),
            IP,
            InProcessPod.PORT);
    c.close();
    assertThatThrownBy(
            () ->
                WsTestClient.connect(
                    vertx,
                    WsTestClient.options()
                        .setSsl(true)
                        .setTrustOptions(trustCa())
                        .setEnabledSecureTransportProtocols(Set.of("TLSv1.1")),
                    IP,
                    InProcessPod.PORT))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aPlainWsClientCannotUseTheTlsPort() {
    assertThatThrownBy(() -> WsTestClient.connect(vertx, IP, InProcessPod.PORT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefused() {
    TestPki other = TestPki.newCa("some-other-ca");
    Path otherCa = other.writeCaFile(tmp.resolve("other").resolve("ca.crt"));
    assertThatThrownBy(
            () ->
                WsTestClient.connect(
                    vertx,
                    WsTestClient.options()
                        .setSsl(true)
                        .setTrustOptions(new PemTrustOptions().addCertPath(otherCa.toString())),
                    IP,
                    InProcessPod.PORT))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void thePageIsServedOverHttps() throws Exception {
    var client =
        vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trustCa()));
    try {
      String page =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost(IP)
                      .setPort(InProcessPod.PORT)
                      .setURI("/"))
              .compose(r -> r.send().compose(resp -> resp.body()))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .toString();
      assertThat(page).contains("<html");
    } finally {
      client.close();
    }
  }

  @Test
  void theAdminPortStaysPlain() {
    assertThat(Http.get(IP, InProcessPod.ADMIN_PORT, "/readyz").status()).isEqualTo(200);
  }

  private static WsTestClient tlsClient(String user) {
    WsTestClient c =
        WsTestClient.connect(
            vertx,
            WsTestClient.options().setSsl(true).setVerifyHost(true).setTrustOptions(trustCa()),
            IP,
            InProcessPod.PORT);
    c.send(new JsonObject().put("type", "hello").put("user", user).put("clientId", user + "-c"));
    c.await(f -> "welcome".equals(f.getString("type")));
    return c;
  }
}
