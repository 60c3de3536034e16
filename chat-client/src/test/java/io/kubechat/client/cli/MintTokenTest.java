package io.kubechat.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubechat.client.cluster.PodCluster;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mint-token and --token: a token minted from the pod's HMAC secret lets the CLI send to a real pod
 * (127.0.22.21) in the groups it allows and no other; EC and RSA private keys sign tokens that
 * their public keys verify.
 */
class MintTokenTest {
  private static final String SECRET = "mint-" + UUID.randomUUID();
  private static final Path DIR = Path.of("target", "mint-token");
  private static PodCluster cluster;

  @BeforeAll
  static void startPod() throws Exception {
    String jar = System.getProperty("kubechat.podJar");
    assumeTrue(jar != null && Files.exists(Path.of(jar)), "no chat-pod jar at " + jar);
    Files.createDirectories(DIR);
    Files.writeString(DIR.resolve("hmac.key"), SECRET + "\n");
    cluster =
        new PodCluster(
            Path.of(jar),
            List.of("127.0.22.21"),
            Path.of("target", "pod-logs"),
            Map.of(
                "KUBECHAT_AUTH",
                "jwt",
                "KUBECHAT_AUTH_JWT_KEY_FILE",
                DIR.resolve("hmac.key").toAbsolutePath().toString()));
    cluster.startAll();
    cluster.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopPod() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String mint(String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "mint-token";
    System.arraycopy(options, 0, args, 1, options.length);
    CliRun r = CliRun.of(Map.of(), args);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().strip();
  }

  @Test
  void aMintedTokenSendsToTheGroupsItAllows() {
    String key = DIR.resolve("hmac.key").toString();
    String token = mint("--key-file", key, "--sub", "alice", "--groups", "team-*", "--ttl", "5m");
    String server = cluster.wsUri(0).toString();
    CliRun sent =
        CliRun.of(Map.of(), "send", "-s", server, "--token", token, "-g", "team-a", "hello");
    assertThat(sent.exit()).as(sent.err()).isZero();
    assertThat(sent.err()).contains("acknowledged");
    // from the environment, as KUBECHAT_TOKEN
    CliRun forbidden =
        CliRun.of(
            Map.of("KUBECHAT_TOKEN", token),
            "send",
            "-s",
            server,
            "-g",
            "lobby",
            "--timeout",
            "10",
            "hi");
    assertThat(forbidden.exit()).isEqualTo(1);
    assertThat(forbidden.err()).contains("FORBIDDEN");
    // a --user that is not the token's subject is refused
    CliRun spoofed =
        CliRun.of(
            Map.of(), "send", "-s", server, "--token", token, "-u", "bob", "-g", "team-a", "x");
    assertThat(spoofed.exit()).isEqualTo(1);
    assertThat(spoofed.err()).contains("UNAUTHENTICATED");
  }

  @Test
  void privateKeysSignTokensTheirPublicKeysVerify() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Vertx vertx = Vertx.vertx();
    try {
      for (KeyPair pair : List.of(ec.generateKeyPair(), rsa.generateKeyPair())) {
        String alg = pair.getPublic().getAlgorithm().equals("EC") ? "ES256" : "RS256";
        Path priv = DIR.resolve(alg + ".pem");
        Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        String token = mint("--key-file", priv.toString(), "--sub", "dev", "--ttl", "60");
        JWTAuth verifier =
            JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                    .addPubSecKey(
                        new PubSecKeyOptions()
                            .setAlgorithm(alg)
                            .setBuffer(pem("PUBLIC KEY", pair.getPublic().getEncoded()))));
        var user =
            verifier
                .authenticate(new TokenCredentials(token))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(user.attributes().getJsonObject("accessToken").getString("sub"))
            .isEqualTo("dev");
        long exp = user.attributes().getJsonObject("accessToken").getLong("exp");
        assertThat(exp - System.currentTimeMillis() / 1000).isBetween(50L, 61L);
      }
    } finally {
      vertx.close();
    }
    assertThat(CliRun.of(Map.of(), "mint-token", "--sub", "x").exit()).isEqualTo(2);
    Path shortKey = DIR.resolve("short.key");
    Files.writeString(shortKey, "short");
    CliRun refused =
        CliRun.of(Map.of(), "mint-token", "--key-file", shortKey.toString(), "--sub", "x");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("at least 32 bytes");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
