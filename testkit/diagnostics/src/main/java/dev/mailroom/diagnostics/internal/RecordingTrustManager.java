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
 * the diagnostics can show the certificate even when verification fails.
 *
 * <p>When the application set its own default context ({@code SSLContext.setDefault}) and the settings
 * verify without a trust store of their own, that context decides, as in a real send
 * ({@link TlsPolicy#applicationDecides}): {@link #context()} is then the policy's context around it, whose
 * trust managers cannot be wrapped, so nothing is recorded here; the caller takes the chain from the
 * session ({@link LineChannel#tlsSession()}) or, if the application's context refused it, from a second
 * handshake only for the certificate panel. Thread-safe.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final boolean verify;
  private final boolean applicationDecides;
  private volatile X509Certificate[] chain;
  private volatile String authType;

  private RecordingTrustManager(X509ExtendedTrustManager delegate, boolean verify, boolean applicationDecides) {
    this.delegate = delegate;
    this.verify = verify;
    this.applicationDecides = applicationDecides;
  }

  /**
   * Creates a recording trust manager.
   *
   * @param verify whether to verify certificates (and host names, when the socket asks for it)
   * @param trustStore the trust anchors, or null for the JVM's default trust store (or the application's
   *     default context, see the class comment)
   * @return the trust manager
   */
  public static RecordingTrustManager create(boolean verify, KeyStore trustStore) {
    return new RecordingTrustManager(TlsPolicy.trustManager(verify, trustStore), verify,
        TlsPolicy.applicationDecides(verify, trustStore));
  }

  /**
   * The TLS context of the one policy for these settings: one around this trust manager, or the policy's
   * context around the application's default context when that decides ({@link #applicationDecides()}).
   */
  public SSLContext context() {
    return applicationDecides ? TlsPolicy.context(true, null) : TlsPolicy.context(this);
  }

  /** True if the application's default context decides about the chain, so that nothing is recorded here. */
  public boolean applicationDecides() {
    return applicationDecides;
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
      TlsPolicy.trustManager(true, trustStore).checkServerTrusted(c, type == null ? "UNKNOWN" : type);
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
