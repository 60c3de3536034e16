package io.kubechat.pod.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a stranger does to a pod's event-bus port, with plain sockets: connect (TCP, or TLS with or
 * without a client certificate), write whatever it likes, and see whether the pod hangs up.
 */
public final class EventBusProbe implements AutoCloseable {
  private final Socket socket;

  private EventBusProbe(Socket socket) {
    this.socket = socket;
  }

  /** A plain TCP connection. */
  public static EventBusProbe plain(String ip, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(ip, port), 5000);
    return new EventBusProbe(s);
  }

  /**
   * A TLS connection that trusts any server and presents the certificate and key of {@code dir}
   * ({@code tls.crt}, {@code tls.key}), or none if {@code dir} is null. The handshake is started;
   * with TLS 1.3 the server checks the client's certificate after the client thinks it is done, so
   * a refusal shows on the first read.
   */
  public static EventBusProbe tls(String ip, int port, Path dir) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    KeyManagerFactory kmf = null;
    if (dir != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Certificate cert;
      try (InputStream in = Files.newInputStream(dir.resolve("tls.crt"))) {
        cert = cf.generateCertificate(in);
      }
      String pem =
          Files.readString(dir.resolve("tls.key"))
              .replaceAll("-----[A-Z ]+-----", "")
              .replaceAll("\\s", "");
      PrivateKey key =
          KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      ks.setKeyEntry("member", key, new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    ctx.init(
        kmf == null ? null : kmf.getKeyManagers(),
        new TrustManager[] {new TrustAll()},
        new SecureRandom());
    Socket raw = new Socket();
    raw.connect(new InetSocketAddress(ip, port), 5000);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, ip, port, true);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return new EventBusProbe(s);
  }

  /**
   * Writes {@code first}, then zeros until {@code limit} bytes in all or until the pod closes the
   * connection. Returns the bytes written before a write failed (or {@code limit}).
   */
  public long writeUntilClosed(byte[] first, long limit) {
    long written = 0;
    try {
      OutputStream out = socket.getOutputStream();
      out.write(first);
      out.flush();
      written = first.length;
      byte[] chunk = new byte[64 * 1024];
      while (written < limit) {
        out.write(chunk);
        written += chunk.length;
      }
      out.flush();
    } catch (IOException e) {
      // the pod hung up
    }
    return written;
  }

  /** Writes {@code bytes}; false if the connection is already gone. */
  public boolean write(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the pod closes the connection within {@code atMost}: a read that ends the stream or
   * fails (a TLS alert, a reset). Bytes the pod sends (a pong) are skipped.
   */
  public boolean closedByPeer(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    try {
      socket.setSoTimeout(200);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      while (System.nanoTime() < deadline) {
        try {
          if (in.read(buf) < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          // still open
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** A 4-byte big-endian length prefix. */
  public static byte[] prefix(int length) {
    return new byte[] {
      (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
    };
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
