package io.kubechat.client.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Objects;

/**
 * Which servers a client trusts on {@code wss://} endpoints: the JVM's default trust (public CAs),
 * the certificates of a PEM CA file (a cert-manager Secret's {@code ca.crt}), or a trust store
 * (PKCS#12 or JKS). The file is read and checked once, when the client is built, so a wrong path or
 * a file that is not what it claims is a clear error instead of a failed handshake on every
 * reconnect. The host name is always checked against the server certificate.
 */
public final class ClientTrust {
  private final String description;
  private final TrustOptions options;

  private ClientTrust(String description, TrustOptions options) {
    this.description = description;
    this.options = options;
  }

  /** The JVM's default trust store (what {@code javax.net.ssl} trusts without configuration). */
  public static ClientTrust jvmDefault() {
    return new ClientTrust("the JVM's default trust", null);
  }

  /** Trusts the CA certificate(s) in a PEM file, and only those. */
  public static ClientTrust caFile(Path file) {
    byte[] pem = read(file, "CA file");
    try {
      if (CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))
          .isEmpty()) {
        throw new IllegalArgumentException("CA file " + file + " holds no certificate");
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "CA file " + file + " is not a PEM certificate: " + e.getMessage());
    }
    return new ClientTrust(
        "CA file " + file, new PemTrustOptions().addCertValue(Buffer.buffer(pem)));
  }

  /**
   * Trusts the certificates of a trust store: JKS for a {@code .jks} file, else PKCS#12.
   *
   * @param password the store's password (null for none)
   */
  public static ClientTrust trustStore(Path file, String password) {
    byte[] bytes = read(file, "trust store");
    String type =
        file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
    try {
      KeyStore store = KeyStore.getInstance(type);
      store.load(new ByteArrayInputStream(bytes), password == null ? null : password.toCharArray());
      if (store.size() == 0) {
        throw new IllegalArgumentException("trust store " + file + " is empty");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read trust store " + file + " (" + type + "): " + e.getMessage());
    }
    return new ClientTrust(
        "trust store " + file,
        new KeyStoreOptions().setType(type).setValue(Buffer.buffer(bytes)).setPassword(password));
  }

  /** Applies this trust to the options of the client's WebSocket client. */
  public WebSocketClientOptions applyTo(WebSocketClientOptions client) {
    client.setVerifyHost(true);
    return options == null ? client : client.setTrustOptions(options.copy());
  }

  @Override
  public String toString() {
    return description;
  }

  private static byte[] read(Path file, String what) {
    Objects.requireNonNull(file, what);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
