package dev.mailroom.diagnostics.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Records the server's certificate chain, then lets the real trust manager decide (or accepts it when
 * verification is off). So the diagnostics can show the certificate even when verification fails.
 * Thread-safe.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private volatile X509Certificate[] chain;
  private volatile String authType;

  private RecordingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /**
   * Creates a recording trust manager.
   *
   * @param verify whether to verify certificates (and host names, when the socket asks for it)
   * @param trustStore the trust anchors, or null for the JVM's default trust store
   * @return the trust manager
   */
  public static RecordingTrustManager create(boolean verify, KeyStore trustStore) {
    if (!verify) {
      return new RecordingTrustManager(null);
    }
    try {
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(trustStore);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager) {
          return new RecordingTrustManager((X509ExtendedTrustManager) tm);
        }
      }
      throw new IllegalStateException("no X509ExtendedTrustManager in the JVM's default trust managers");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the trust store: " + e.getMessage(), e);
    }
  }

  /** A TLS context that uses this trust manager. */
  public SSLContext context() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {this}, new SecureRandom());
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
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
    return delegate != null;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
    chain = c.clone();
    this.authType = authType;
    if (delegate != null) {
      delegate.checkServerTrusted(c, authType, socket);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine)
      throws CertificateException {
    chain = c.clone();
    this.authType = authType;
    if (delegate != null) {
      delegate.checkServerTrusted(c, authType, engine);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType) throws CertificateException {
    chain = c.clone();
    this.authType = authType;
    if (delegate != null) {
      delegate.checkServerTrusted(c, authType);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType) throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate == null ? new X509Certificate[0] : ((X509TrustManager) delegate).getAcceptedIssuers();
  }
}
