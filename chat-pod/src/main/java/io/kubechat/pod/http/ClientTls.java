package io.kubechat.pod.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * TLS on the client port: a certificate chain and its key in the layout cert-manager (and {@code
 * kubectl create secret tls}) writes into a Secret: {@code tls.crt}, {@code tls.key} and an
 * optional {@code ca.crt}, which is not used by the server (clients are not asked for certificates)
 * but documents which CA clients must trust. The files are read and checked once at start, so a pod
 * with a missing, unreadable, expired or mismatched pair refuses to start instead of failing every
 * handshake; the server then uses the bytes it checked.
 *
 * @param dir where the files were read from (kept for messages and rotation)
 * @param certPem the certificate chain, leaf first
 * @param keyPem the private key (PKCS#8, PKCS#1 RSA or SEC1 EC, as Vert.x reads them)
 */
public record ClientTls(Path dir, Buffer certPem, Buffer keyPem, Instant notAfter) {
  public static final String CERT_FILE = "tls.crt";
  public static final String KEY_FILE = "tls.key";
  public static final String CA_FILE = "ca.crt";

  /** TLS 1.0 and 1.1 are deprecated (RFC 8996): clients need 1.2 or later. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** Reads and checks {@code dir}; an {@link IllegalArgumentException} says what is amiss. */
  public static ClientTls load(Path dir, String variable) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(variable + "=" + dir + ": not a directory");
    }
    byte[] cert = read(dir, CERT_FILE, variable);
    byte[] key = read(dir, KEY_FILE, variable);
    List<X509Certificate> chain = certificates(dir.resolve(CERT_FILE), cert, variable);
    X509Certificate leaf = chain.get(0);
    Instant now = Instant.now();
    if (leaf.getNotAfter().toInstant().isBefore(now)
        || leaf.getNotBefore().toInstant().isAfter(now)) {
      throw new IllegalArgumentException(
          variable
              + ": "
              + dir.resolve(CERT_FILE)
              + " is not valid now (valid "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + ")");
    }
    PrivateKey privateKey = privateKey(dir.resolve(KEY_FILE), cert, key, variable);
    if (!matches(privateKey, leaf.getPublicKey())) {
      throw new IllegalArgumentException(
          variable
              + ": "
              + dir.resolve(KEY_FILE)
              + " is not the key of the certificate in "
              + dir.resolve(CERT_FILE));
    }
    return new ClientTls(
        dir, Buffer.buffer(cert), Buffer.buffer(key), leaf.getNotAfter().toInstant());
  }

  /** The key and certificate for {@code HttpServerOptions} or {@code updateSSLOptions}. */
  public PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertValue(certPem).setKeyValue(keyPem);
  }

  /**
   * The options a rotation hands to {@code HttpServer.updateSSLOptions}: the same as the server
   * started with ({@link HttpServers}), with this key and certificate.
   */
  public ServerSSLOptions sslOptions(long handshakeTimeoutS) {
    return new ServerSSLOptions()
        .setKeyCertOptions(keyCert())
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setSslHandshakeTimeout(handshakeTimeoutS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
  }

  /** Same files as {@code other}, byte for byte. */
  public boolean sameAs(ClientTls other) {
    return certPem.equals(other.certPem) && keyPem.equals(other.keyPem);
  }

  private static byte[] read(Path dir, String name, String variable) {
    Path p = dir.resolve(name);
    try {
      if (!Files.isRegularFile(p)) {
        throw new IOException("missing");
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          variable
              + "="
              + dir
              + ": "
              + name
              + " is missing or not readable (expected "
              + CERT_FILE
              + " and "
              + KEY_FILE
              + ", PEM, optionally "
              + CA_FILE
              + ")");
    }
  }

  private static List<X509Certificate> certificates(Path file, byte[] pem, String variable) {
    try {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))
              .stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(variable + ": " + file + " holds no certificate");
      }
      return certs;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          variable + ": " + file + " is not a PEM certificate: " + e.getMessage());
    }
  }

  /** Parses the key the way the server will (Vert.x's PEM reader; no file access, no Vertx). */
  private static PrivateKey privateKey(Path file, byte[] cert, byte[] key, String variable) {
    try {
      PemKeyCertOptions options =
          new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
      KeyStore store = options.loadKeyStore(null);
      for (KeyManager m : options.getKeyManagerFactory(null).getKeyManagers()) {
        if (m instanceof X509KeyManager x509) {
          for (String alias : Collections.list(store.aliases())) {
            PrivateKey pk = x509.getPrivateKey(alias);
            if (pk != null) {
              return pk;
            }
          }
        }
      }
    } catch (Exception | LinkageError e) {
      throw new IllegalArgumentException(
          variable + ": " + file + " is not a PEM private key: " + e.getMessage());
    }
    throw new IllegalArgumentException(variable + ": " + file + " holds no private key");
  }

  /** Signs a probe with the key and checks it with the certificate's public key. */
  private static boolean matches(PrivateKey key, PublicKey pub) {
    Optional<String> alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> Optional.of("SHA256withRSA");
          case "EC" -> Optional.of("SHA256withECDSA");
          case "Ed25519", "EdDSA" -> Optional.of("Ed25519");
          default -> Optional.empty();
        };
    if (alg.isEmpty()) {
      return key.getAlgorithm().equals(pub.getAlgorithm());
    }
    try {
      byte[] probe = "kubechat client tls".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg.get());
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg.get());
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientTls t && dir.equals(t.dir) && sameAs(t);
  }

  @Override
  public int hashCode() {
    return dir.hashCode() * 31 + Arrays.hashCode(certPem.getBytes());
  }
}
