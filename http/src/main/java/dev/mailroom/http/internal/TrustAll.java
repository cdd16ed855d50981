package dev.mailroom.http.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The "Do not verify TLS certificate" setting, for one HTTP client only: an {@link SSLContext} whose trust
 * manager accepts every certificate. Being an {@link X509ExtendedTrustManager}, it also does no host name
 * (endpoint) identification: the JDK performs that check inside the trust manager, so no JVM-wide property
 * such as {@code jdk.internal.httpclient.disableHostnameVerification} is needed.
 */
final class TrustAll extends X509ExtendedTrustManager {
  private TrustAll() {}

  static SSLContext context() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {new TrustAll()}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS without certificate verification", e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
