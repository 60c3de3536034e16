package io.kubechat.operator.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A ChatCluster's own certificate authority (BouncyCastle; keys from the JDK's EC provider, P-256,
 * signatures SHA256withECDSA): it signs the member certificate the cluster's pods present to each
 * other on the event bus, and nothing else. Held as PEM: the CA certificate and its PKCS#8 key.
 */
public final class ClusterCa {
  /** The CA outlives many member certificates; rotate it by hand (docs/security.md). */
  static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** A member certificate; the operator reissues it when it is this close to its end. */
  static final Duration MEMBER_VALIDITY = Duration.ofDays(365);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate cert;
  private final PrivateKey key;

  private ClusterCa(X509Certificate cert, PrivateKey key) {
    this.cert = cert;
    this.key = key;
  }

  /** A new CA for the ChatCluster {@code namespace/name}. */
  public static ClusterCa generate(String namespace, String name, Clock clock) {
    KeyPair pair = ecKey();
    X500Name subject = new X500Name("CN=kubechat cluster CA " + namespace + "/" + name);
    Instant now = clock.instant();
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(CA_VALIDITY)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new ClusterCa(x509(b.build(signer(pair.getPrivate()))), pair.getPrivate());
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the cluster CA", e);
    }
  }

  /** The CA as kept in its Secret; an {@link IllegalArgumentException} if it is not one. */
  public static ClusterCa fromPem(String certPem, String keyPem) {
    try (PEMParser certs = new PEMParser(new StringReader(certPem));
        PEMParser keys = new PEMParser(new StringReader(keyPem))) {
      Object c = certs.readObject();
      Object k = keys.readObject();
      if (!(c instanceof X509CertificateHolder holder) || !(k instanceof PrivateKeyInfo info)) {
        throw new IllegalArgumentException("not a PEM certificate and PKCS#8 key");
      }
      return new ClusterCa(x509(holder), new JcaPEMKeyConverter().getPrivateKey(info));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("unreadable CA: " + e.getMessage(), e);
    }
  }

  /**
   * A new member certificate and key, signed by this CA, for every pod of the cluster: client and
   * server authentication (pods are both on the event bus). Names are not checked by the pods.
   */
  public Member issueMember(String namespace, String name, Clock clock) {
    KeyPair pair = ecKey();
    Instant now = clock.instant();
    Instant end = now.plus(MEMBER_VALIDITY);
    if (end.isAfter(cert.getNotAfter().toInstant())) {
      end = cert.getNotAfter().toInstant();
    }
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              cert,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(end),
              new X500Name("CN=kubechat member " + namespace + "/" + name),
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
      X509Certificate member = x509(b.build(signer(key)));
      return new Member(pem(member), pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a member certificate", e);
    }
  }

  /** Whether {@code certPem} is a certificate this CA signed that is valid for {@code margin}. */
  public boolean signed(String certPem, Duration margin, Clock clock) {
    try (PEMParser p = new PEMParser(new StringReader(certPem))) {
      if (!(p.readObject() instanceof X509CertificateHolder holder)) {
        return false;
      }
      X509Certificate c = x509(holder);
      c.verify(cert.getPublicKey());
      return c.getNotAfter().toInstant().isAfter(clock.instant().plus(margin));
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  public String certPem() {
    return pem(cert);
  }

  public String keyPem() {
    try {
      return pem(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate certificate() {
    return cert;
  }

  /** A member certificate and its PKCS#8 key, PEM. */
  public record Member(String certPem, String keyPem) {}

  private static String pem(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static X509Certificate x509(X509CertificateHolder h) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(h);
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
