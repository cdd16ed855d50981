package dev.mailroom.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, made on the fly (EC P-256 unless an RSA key is asked for, SHA-256; nothing is
 * read from or written to disk unless asked): a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1}, one for another host name, an expired one, and certificates issued by a test
 * {@link Authority} whose trust store a test can hand to a client.
 *
 * <pre>{@code
 * ServerCertificate cert = TestCertificates.selfSigned();            // untrusted: a client refuses it
 * Authority ca = TestCertificates.authority("Test CA");
 * ServerCertificate good = ca.issue("localhost", "127.0.0.1");       // trusted by ca.clientContext()
 * ServerCertificate wrong = ca.issue("wrong.example");               // trusted, but for another host
 * ServerCertificate old = ca.issueExpired("localhost", "127.0.0.1"); // trusted, but expired
 * ServerCertificate weak = ca.issueRsa(1024, "localhost");           // trusted, but an RSA-1024 key
 * ServerCertificate cnOnly = ca.issueWithoutSubjectAltName("localhost"); // trusted, host only in the CN
 * SSLContext.setDefault(ca.clientContext());                         // make the JVM trust the test CA
 * try (DefaultTrust trust = ca.trustAsJvmDefault()) { ... }          // the same, restored on close
 * }</pre>
 *
 * <p>Host names that parse as IP addresses become IP address entries of the subject alternative name,
 * others DNS entries. All types are immutable and thread-safe.
 */
public final class TestCertificates {
  /** The host names of {@link #selfSigned()}: {@code localhost} and {@code 127.0.0.1}. */
  public static final List<String> LOCALHOST = List.of("localhost", "127.0.0.1");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  /** The password of every key store and trust store this class makes or writes. */
  public static final String KEY_STORE_PASSWORD = "changeit";
  private static final char[] PASSWORD = KEY_STORE_PASSWORD.toCharArray();

  private TestCertificates() {}

  /**
   * Returns a self-signed certificate for {@code localhost} and {@code 127.0.0.1}, valid from yesterday
   * for a year. No client trusts it unless given its {@link ServerCertificate#trustStore()}.
   *
   * @return the certificate
   */
  public static ServerCertificate selfSigned() {
    return selfSigned(LOCALHOST.toArray(new String[0]));
  }

  /**
   * Returns a self-signed certificate for the given host names, valid from yesterday for a year.
   *
   * @param hostNames DNS names or IP addresses, at least one
   * @return the certificate
   */
  public static ServerCertificate selfSigned(String... hostNames) {
    return self(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), hostNames);
  }

  /**
   * Returns a self-signed certificate for {@code localhost} and {@code 127.0.0.1} that expired yesterday.
   *
   * @return the certificate
   */
  public static ServerCertificate expiredSelfSigned() {
    return self(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)),
        LOCALHOST.toArray(new String[0]));
  }

  /**
   * Creates a certificate authority for tests.
   *
   * @param name the common name of the authority, e.g. {@code Mailroom Test CA}
   * @return the authority
   */
  public static Authority authority(String name) {
    Objects.requireNonNull(name, "name");
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + escape(name) + ", O=Mailroom testkit");
    Instant now = Instant.now();
    X509Certificate cert = build(subject, keys.getPrivate(), subject, keys, now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(3650)), List.of(), true);
    return new Authority(subject, keys, cert);
  }

  private static ServerCertificate self(Instant from, Instant to, String... hostNames) {
    List<String> names = names(hostNames);
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + escape(names.get(0)) + ", O=Mailroom testkit self-signed");
    X509Certificate cert = build(subject, keys.getPrivate(), subject, keys, from, to, names, false);
    return new ServerCertificate(keys.getPrivate(), List.of(cert), cert, names);
  }

  private static List<String> names(String... hostNames) {
    Objects.requireNonNull(hostNames, "hostNames");
    if (hostNames.length == 0) {
      throw new IllegalArgumentException("at least one host name is needed");
    }
    List<String> names = new ArrayList<>();
    for (String h : hostNames) {
      names.add(Objects.requireNonNull(h, "host name"));
    }
    return List.copyOf(names);
  }

  private static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException | java.security.InvalidParameterException e) {
      throw new IllegalArgumentException("cannot make a " + bits + "-bit RSA key: " + e.getMessage(), e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 keys are not available", e);
    }
  }

  private static X509Certificate build(X500Name issuer, PrivateKey issuerKey, X500Name subject, KeyPair keys,
      Instant from, Instant to, List<String> hostNames, boolean ca) {
    return build(issuer, issuerKey, subject, keys, from, to, hostNames, ca, true);
  }

  private static X509Certificate build(X500Name issuer, PrivateKey issuerKey, X500Name subject, KeyPair keys,
      Instant from, Instant to, List<String> hostNames, boolean ca, boolean subjectAltName) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        boolean rsa = "RSA".equals(keys.getPublic().getAlgorithm());
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      }
      if (!ca && subjectAltName) {
        GeneralName[] san = new GeneralName[hostNames.size()];
        for (int i = 0; i < san.length; i++) {
          String h = hostNames.get(i);
          san[i] = isIp(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
      }
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a test certificate", e);
    }
  }

  /** A self-signed RSA certificate for an application's OAuth2 client credentials (no extensions). */
  static X509Certificate rsaClientCertificate(String commonName, KeyPair keys) {
    try {
      X500Name name = new X500Name("CN=" + escape(commonName));
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(3600)),
          Date.from(now.plusSeconds(86_400L * 365)), name, keys.getPublic());
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a test client certificate", e);
    }
  }

  private static boolean isIp(String h) {
    if (h.indexOf(':') >= 0) {
      return true;
    }
    return h.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && h.indexOf('.') > 0;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=").replace("+", "\\+");
  }

  private static KeyStore trustStoreOf(X509Certificate root) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("root", root);
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a trust store", e);
    }
  }

  private static SSLContext clientContextOf(KeyStore trustStore) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  private static void write(KeyStore ks, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write " + file, e);
    }
  }

  /**
   * A certificate authority for tests: it issues server certificates, and its trust store makes a client
   * trust them.
   */
  public static final class Authority {
    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private Authority(X500Name name, KeyPair keys, X509Certificate certificate) {
      this.name = name;
      this.keys = keys;
      this.certificate = certificate;
    }

    /**
     * Returns the authority's own (root) certificate.
     *
     * @return the certificate
     */
    public X509Certificate certificate() {
      return certificate;
    }

    /**
     * Issues a server certificate for the given host names, valid from yesterday for a year.
     *
     * @param hostNames DNS names or IP addresses, at least one
     * @return the certificate with its chain (leaf, then this authority)
     */
    public ServerCertificate issue(String... hostNames) {
      Instant now = Instant.now();
      return issue(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), hostNames);
    }

    /**
     * Issues a server certificate with an RSA key of the given size for the given host names, valid from
     * yesterday for a year, e.g. a 1024-bit key that Mailroom's TLS policy refuses as too short, or a 2048-bit
     * one it accepts. (The other certificates of this class have EC P-256 keys.)
     *
     * @param keyBits the RSA key size in bits, at least 512
     * @param hostNames DNS names or IP addresses, at least one
     * @return the certificate with its chain (leaf, then this authority)
     * @throws IllegalArgumentException if no RSA key of that size can be made
     */
    public ServerCertificate issueRsa(int keyBits, String... hostNames) {
      return issue(rsaKeyPair(keyBits), true, hostNames);
    }

    /**
     * Issues a server certificate that names its host only in the subject's common name (CN), without a
     * subjectAltName extension, valid from yesterday for a year: the legacy form that Mailroom's TLS policy
     * refuses although the JDK's host name check would fall back to the CN.
     *
     * @param hostName the DNS name (or IP address) for the CN
     * @return the certificate with its chain (leaf, then this authority)
     */
    public ServerCertificate issueWithoutSubjectAltName(String hostName) {
      return issue(keyPair(), false, hostName);
    }

    private ServerCertificate issue(KeyPair leafKeys, boolean subjectAltName, String... hostNames) {
      List<String> names = names(hostNames);
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + escape(names.get(0)) + ", O=Mailroom testkit");
      X509Certificate leaf = build(name, keys.getPrivate(), subject, leafKeys, now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(365)), names, false, subjectAltName);
      return new ServerCertificate(leafKeys.getPrivate(), List.of(leaf, certificate), certificate, names);
    }

    /**
     * Issues a server certificate for the given host names that expired yesterday.
     *
     * @param hostNames DNS names or IP addresses, at least one
     * @return the certificate with its chain
     */
    public ServerCertificate issueExpired(String... hostNames) {
      Instant now = Instant.now();
      return issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), hostNames);
    }

    /**
     * Issues a server certificate valid in the given period.
     *
     * @param notBefore the start of validity
     * @param notAfter the end of validity
     * @param hostNames DNS names or IP addresses, at least one
     * @return the certificate with its chain
     */
    public ServerCertificate issue(Instant notBefore, Instant notAfter, String... hostNames) {
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(notAfter, "notAfter");
      List<String> names = names(hostNames);
      KeyPair leafKeys = keyPair();
      X500Name subject = new X500Name("CN=" + escape(names.get(0)) + ", O=Mailroom testkit");
      X509Certificate leaf = build(name, keys.getPrivate(), subject, leafKeys, notBefore, notAfter, names, false);
      return new ServerCertificate(leafKeys.getPrivate(), List.of(leaf, certificate), certificate, names);
    }

    /**
     * Returns a trust store (PKCS12, in memory) that holds only this authority.
     *
     * @return a new trust store
     */
    public KeyStore trustStore() {
      return trustStoreOf(certificate);
    }

    /**
     * Returns a client TLS context that trusts only this authority, e.g. for
     * {@link SSLContext#setDefault(SSLContext)} in a test that needs a trusted server.
     *
     * @return a new context
     */
    public SSLContext clientContext() {
      return clientContextOf(trustStore());
    }

    /**
     * Makes the JVM trust this authority as an application would, with
     * {@link SSLContext#setDefault(SSLContext)} and {@link #clientContext()}, until the returned handle is
     * closed, which puts back the default context there was before:
     * {@code try (DefaultTrust trust = ca.trustAsJvmDefault()) { ... }}.
     *
     * @return the handle that restores the previous default
     */
    public DefaultTrust trustAsJvmDefault() {
      SSLContext before;
      try {
        before = SSLContext.getDefault();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JVM has no default TLS context", e);
      }
      SSLContext.setDefault(clientContext());
      return new DefaultTrust(before);
    }

    /**
     * Writes {@link #trustStore()} as a PKCS12 file with the password {@code changeit}, e.g. for
     * {@code -Djavax.net.ssl.trustStore} of another JVM.
     *
     * @param file where to write
     * @throws IOException if writing fails
     */
    public void writeTrustStore(Path file) throws IOException {
      write(trustStore(), file);
    }

    @Override
    public String toString() {
      return "Authority[" + name + "]";
    }
  }

  /** The JVM-wide trust set by {@link Authority#trustAsJvmDefault()}; closing it restores the previous one. */
  public static final class DefaultTrust implements AutoCloseable {
    private final SSLContext previous;

    private DefaultTrust(SSLContext previous) {
      this.previous = previous;
    }

    /** Puts back the default TLS context there was before. */
    @Override
    public void close() {
      SSLContext.setDefault(previous);
    }
  }

  /** A server's certificate chain and private key, and what a server and a client need to use it. */
  public static final class ServerCertificate {
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final X509Certificate root;
    private final List<String> hostNames;

    private ServerCertificate(PrivateKey key, List<X509Certificate> chain, X509Certificate root,
        List<String> hostNames) {
      this.key = key;
      this.chain = chain;
      this.root = root;
      this.hostNames = hostNames;
    }

    /**
     * Returns the server's own (leaf) certificate.
     *
     * @return the certificate
     */
    public X509Certificate certificate() {
      return chain.get(0);
    }

    /**
     * Returns the chain the server presents: the leaf first, then its issuer if not self-signed.
     *
     * @return the chain
     */
    public List<X509Certificate> chain() {
      return chain;
    }

    /**
     * Returns the host names and IP addresses the certificate is for.
     *
     * @return the names
     */
    public List<String> hostNames() {
      return hostNames;
    }

    /**
     * Returns a key store (PKCS12, in memory, password {@code changeit}) with the key and chain.
     *
     * @return a new key store
     */
    public KeyStore keyStore() {
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, PASSWORD, chain.toArray(new Certificate[0]));
        return ks;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot create a key store", e);
      }
    }

    /**
     * Writes {@link #keyStore()} as a PKCS12 file with the password {@code changeit}, for servers that read
     * their key from a file.
     *
     * @param file where to write
     * @throws IOException if writing fails
     */
    public void writeKeyStore(Path file) throws IOException {
      write(keyStore(), file);
    }

    /**
     * Returns a server TLS context that presents this certificate.
     *
     * @return a new context
     */
    public SSLContext serverContext() {
      try {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot create a TLS context", e);
      }
    }

    /**
     * Returns a trust store that trusts this certificate's root: itself when self-signed, else its
     * authority.
     *
     * @return a new trust store
     */
    public KeyStore trustStore() {
      return trustStoreOf(root);
    }

    /**
     * Returns a client TLS context that trusts this certificate's root.
     *
     * @return a new context
     */
    public SSLContext clientContext() {
      return clientContextOf(trustStore());
    }

    /**
     * Writes {@link #trustStore()} as a PKCS12 file with the password {@code changeit}.
     *
     * @param file where to write
     * @throws IOException if writing fails
     */
    public void writeTrustStore(Path file) throws IOException {
      write(trustStore(), file);
    }

    @Override
    public String toString() {
      return "ServerCertificate[" + certificate().getSubjectX500Principal().getName() + ", " + hostNames
          + ", until " + certificate().getNotAfter().toInstant() + "]";
    }
  }
}
