package io.kubechat.pod.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for tests (BouncyCastle): writes cluster TLS directories ({@code ca.crt},
 * {@code tls.crt}, {@code tls.key}) with member certificates it signs, and client-port TLS
 * directories with server certificates for a host.
 */
public final class TestPki {
  private final String name;
  private final KeyPair key;
  private final X509CertificateHolder cert;

  private TestPki(String name, KeyPair key, X509CertificateHolder cert) {
    this.name = name;
    this.key = key;
    this.cert = cert;
  }

  public static TestPki newCa(String name) {
    KeyPair key = ecKey();
    X500Name subject = new X500Name("CN=" + name);
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject, serial(), from(), until(), subject, key.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestPki(name, key, b.build(signer(key)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code dir/ca.crt} (this CA) and a new member certificate and key signed by it. */
  public Path writeMemberDir(Path dir, String member) {
    return writeDir(dir, member, this);
  }

  /**
   * Writes a member certificate signed by this CA, with this CA and {@code trusted} in {@code
   * ca.crt}: with {@code trusted} another CA, a holder of its own CA's certificate that also trusts
   * the cluster CA.
   */
  public Path writeDir(Path dir, String member, TestPki trusted) {
    KeyPair memberKey = ecKey();
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              cert.getSubject(),
              serial(),
              from(),
              until(),
              new X500Name("CN=" + member),
              memberKey.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      X509CertificateHolder memberCert = b.build(signer(key));
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("ca.crt"), trusted == this ? pem(cert) : pem(cert) + pem(trusted.cert));
      Files.writeString(dir.resolve("tls.crt"), pem(memberCert));
      Files.writeString(
          dir.resolve("tls.key"), pem(new JcaPKCS8Generator(memberKey.getPrivate(), null)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a server certificate for the client port in the layout of a cert-manager Secret: {@code
   * tls.crt} (valid for {@code host}, an IP address or a DNS name, in its subject alternative
   * names, as clients check), {@code tls.key} and {@code ca.crt} (this CA).
   */
  public Path writeServerDir(Path dir, String host) {
    return writeServerDir(dir, host, from(), until());
  }

  /**
   * As {@link #writeServerDir(Path, String)}, with a certificate valid from {@code notBefore} to
   * {@code notAfter} (an expired one, say).
   */
  public Path writeServerDir(Path dir, String host, Date notBefore, Date notAfter) {
    KeyPair serverKey = ecKey();
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              cert.getSubject(),
              serial(),
              notBefore,
              notAfter,
              new X500Name("CN=" + host),
              serverKey.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      boolean ip = host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host)));
      X509CertificateHolder serverCert = b.build(signer(key));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("ca.crt"), pem(cert));
      Files.writeString(dir.resolve("tls.crt"), pem(serverCert));
      Files.writeString(
          dir.resolve("tls.key"), pem(new JcaPKCS8Generator(serverKey.getPrivate(), null)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes this CA's certificate alone (what a client is given to trust). */
  public Path writeCaFile(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, pem(cert));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (o instanceof JcaPKCS8Generator g) {
        w.writeObject(g);
      } else {
        w.writeObject(new JcaMiscPEMGenerator(o));
      }
    }
    return out.toString();
  }

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentSigner signer(KeyPair key) throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom());
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofMinutes(5)));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(Duration.ofDays(2)));
  }
}
