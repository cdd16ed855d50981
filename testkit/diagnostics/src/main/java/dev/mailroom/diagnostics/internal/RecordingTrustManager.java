package dev.mailroom.diagnostics.internal;

import dev.mailroom.internal.TlsPolicy;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Records the server's certificate chain, then lets the one {@link TlsPolicy}'s trust manager decide
 * (exactly as the senders' connections do: chain and host name when verifying, the key floor always). So
 * the diagnostics can show the certificate even when verification fails. Thread-safe.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final boolean verify;
  private volatile X509Certificate[] chain;
  private volatile String authType;

  private RecordingTrustManager(X509ExtendedTrustManager delegate, boolean verify) {
    this.delegate = delegate;
    this.verify = verify;
  }

  /**
   * Creates a recording trust manager.
   *
   * @param verify whether to verify certificates (and host names, when the socket asks for it)
   * @param trustStore the trust anchors, or null for the JVM's default trust store
   * @return the trust manager
   */
  public static RecordingTrustManager create(boolean verify, KeyStore trustStore) {
    return new RecordingTrustManager(TlsPolicy.trustManager(verify, trustStore), verify);
  }

  /** A TLS context that uses this trust manager. */
  public SSLContext context() {
    return TlsPolicy.context(this);
  }

  /** The chain the server presented, or null if none was seen yet. */
  public X509Certificate[] chain() {
    X509Certificate[] c = chain;
    return c == null ? null : c.clone();
  }

  /** The key exchange type of the recorded handshake, or null. */
  public String authType() {
    return authType;
  }

  /**
   * Tells whether a chain would pass the JVM's (or the given store's) verification, ignoring the host name.
   *
   * @param c the chain
   * @param type the key exchange type from the handshake
   * @param trustStore the trust store, or null for the default
   * @return true if trusted
   */
  public static boolean wouldTrust(X509Certificate[] c, String type, KeyStore trustStore) {
    try {
      create(true, trustStore).delegate.checkServerTrusted(c, type == null ? "UNKNOWN" : type);
      return true;
    } catch (CertificateException | RuntimeException e) {
      return false;
    }
  }

  /** True if certificates are verified. */
  public boolean verifies() {
    return verify;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
    chain = c.clone();
    this.authType = authType;
    delegate.checkServerTrusted(c, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine)
      throws CertificateException {
    chain = c.clone();
    this.authType = authType;
    delegate.checkServerTrusted(c, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType) throws CertificateException {
    chain = c.clone();
    this.authType = authType;
    delegate.checkServerTrusted(c, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(c, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(c, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType) throws CertificateException {
    delegate.checkClientTrusted(c, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
