package io.kubechat.pod.eventbus;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The closed cluster: the event bus speaks TLS 1.3 with mutual authentication, and a peer is
 * accepted (as server and as client) only with a certificate signed by the cluster CA. The files
 * are those of a Kubernetes TLS Secret plus the CA: {@code ca.crt}, {@code tls.crt}, {@code
 * tls.key} (PEM; the key PKCS#8). Host names are not checked (pods come and go under changing IPs):
 * holding a key signed by the cluster CA is the proof of membership.
 *
 * @param ca the cluster CA's certificate(s): the only trust anchors (several while rotating)
 */
public record ClusterTls(Path ca, Path cert, Path key, Instant certNotAfter) {
  public static final String CA_FILE = "ca.crt";
  public static final String CERT_FILE = "tls.crt";
  public static final String KEY_FILE = "tls.key";

  /** A stranger that opens a connection and says nothing is cut after this. */
  static final long HANDSHAKE_TIMEOUT_S = 5;

  /** Reads and checks the directory; an {@link IllegalArgumentException} saying what is amiss. */
  public static ClusterTls load(Path dir, String variable) {
    Path ca = readable(dir, CA_FILE, variable);
    Path cert = readable(dir, CERT_FILE, variable);
    Path key = readable(dir, KEY_FILE, variable);
    List<X509Certificate> cas = certificates(ca, variable);
    X509Certificate member = certificates(cert, variable).get(0);
    Instant now = Instant.now();
    for (X509Certificate c : List.of(member)) {
      if (c.getNotAfter().toInstant().isBefore(now) || c.getNotBefore().toInstant().isAfter(now)) {
        throw new IllegalArgumentException(
            variable
                + ": "
                + cert
                + " is not valid now (valid "
                + c.getNotBefore().toInstant()
                + " to "
                + c.getNotAfter().toInstant()
                + ")");
      }
    }
    boolean signedByCa =
        cas.stream()
            .anyMatch(
                c -> {
                  try {
                    member.verify(c.getPublicKey());
                    return true;
                  } catch (Exception e) {
                    return false;
                  }
                });
    if (!signedByCa) {
      throw new IllegalArgumentException(
          variable + ": " + cert + " is not signed by (any certificate in) " + ca);
    }
    return new ClusterTls(ca, cert, key, member.getNotAfter().toInstant());
  }

  /** The member certificate expires within {@code d}. */
  public boolean expiresWithin(Duration d) {
    return certNotAfter.isBefore(Instant.now().plus(d));
  }

  /** Mutual TLS on {@code options} (used for the event bus's server and its client). */
  public EventBusOptions apply(EventBusOptions options) {
    return options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(
            new PemKeyCertOptions().setKeyPath(key.toString()).setCertPath(cert.toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_S)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
  }

  private static Path readable(Path dir, String name, String variable) {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new IllegalArgumentException(
          variable
              + "="
              + dir
              + ": "
              + name
              + " is missing or not readable (expected "
              + CA_FILE
              + ", "
              + CERT_FILE
              + ", "
              + KEY_FILE
              + ")");
    }
    return p;
  }

  private static List<X509Certificate> certificates(Path file, String variable) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> x509 = certs.stream().map(X509Certificate.class::cast).toList();
      if (x509.isEmpty()) {
        throw new IllegalArgumentException(variable + ": " + file + " holds no certificate");
      }
      return x509;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          variable + ": cannot read " + file + ": " + e.getMessage());
    }
  }
}
