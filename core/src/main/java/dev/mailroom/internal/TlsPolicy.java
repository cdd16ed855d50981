package dev.mailroom.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one TLS policy of the SMTP sender, the HTTP sender and the connection diagnostics, whatever the
 * JVM's defaults allow:
 *
 * <ul>
 *   <li>protocols: TLS 1.3 and TLS 1.2 only ({@link #PROTOCOLS}), even when the JVM re-enables older
 *       ones;</li>
 *   <li>the server's certificate key: RSA and DSA at least {@value #MIN_RSA_BITS} bits, EC at least
 *       {@value #MIN_EC_BITS} bits, checked whether or not certificates are verified;</li>
 *   <li>verifying (the default): the JVM's trust store (or the given one, or a context the application set
 *       with {@code SSLContext.setDefault}) decides about the chain, the
 *       host name is checked (endpoint identification {@code HTTPS}) and must be named in the certificate's
 *       subjectAltName: a certificate that names its host only in the subject CN is refused;</li>
 *   <li>"Do not verify TLS certificate": any chain and any host name are accepted for this connection
 *       only (no JVM-wide setting changes); the key floor and the protocol floor still apply.</li>
 * </ul>
 *
 * <p>A context the application set as the JVM's default keeps deciding about the chain; the rest of the
 * policy is added around it: sockets are checked after the handshake ({@link #checkPeer}), engines (the JDK's
 * HTTP client, which has no hook after the handshake) check the server's certificate as soon as the
 * handshake has it, before they write anything more.
 *
 * <p>The trust manager only ever checks servers: asked to check a client, it refuses.
 */
public final class TlsPolicy {
  /** The protocols Mailroom offers, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /** The smallest RSA (and DSA) key accepted in a server certificate, in bits. */
  public static final int MIN_RSA_BITS = 2048;
  /** The smallest EC key accepted in a server certificate, in bits. */
  public static final int MIN_EC_BITS = 256;

  private static volatile SSLContext verifyingDefault;
  private static volatile SSLContext trustingDefault;
  /** The application's default context and its {@link CheckingContext}, or null. */
  private static volatile Object[] appChecking;

  private TlsPolicy() {}

  /**
   * The protocols of {@link #PROTOCOLS} that an engine or socket supports.
   *
   * @param supported the supported protocols
   * @return the protocols to enable; empty if none (the handshake then fails)
   */
  public static String[] protocols(String[] supported) {
    List<String> p = new ArrayList<>(PROTOCOLS);
    p.retainAll(Arrays.asList(supported));
    return p.toArray(new String[0]);
  }

  /**
   * Applies the policy to the parameters of a client socket or engine: protocols, host name check when
   * verifying, and SNI for a DNS name.
   *
   * @param p the parameters, changed in place
   * @param host the server name as connected to (ASCII), for SNI
   * @param verify whether certificates and host names are verified
   * @param supported the protocols the socket or engine supports
   * @return {@code p}
   */
  public static SSLParameters apply(SSLParameters p, String host, boolean verify, String[] supported) {
    p.setProtocols(protocols(supported));
    p.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
    if (host != null && isDnsName(host)) {
      try {
        p.setServerNames(List.<SNIServerName>of(new SNIHostName(host)));
      } catch (IllegalArgumentException e) {
        // not a valid SNI name (a single label, say): send none
      }
    }
    return p;
  }

  /**
   * Parameters for a {@link java.net.http.HttpClient}: the protocols of the policy (the client sets SNI and
   * the host name check itself; the check is left out by a trust manager that does not verify).
   *
   * @param context the context the client uses
   * @return the parameters
   */
  public static SSLParameters clientParameters(SSLContext context) {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(protocols(context.getSupportedSSLParameters().getProtocols()));
    return p;
  }

  /**
   * The TLS context of the policy.
   *
   * @param verify whether certificates and host names are verified
   * @param trustStore the trust anchors, or null for the JVM's default trust store
   * @return the context
   */
  public static SSLContext context(boolean verify, KeyStore trustStore) {
    if (trustStore == null) {
      SSLContext jvm = verify ? jvmDefault() : null;
      if (jvm != null && isApplications(jvm)) {
        // the application replaced the JVM's default context (SSLContext.setDefault): its trust decides
        // about the chain, the policy checks the rest (sockets after the handshake with checkPeer, engines
        // before they write anything after the server's certificate)
        return checking(jvm);
      }
      SSLContext c = verify ? verifyingDefault : trustingDefault;
      if (c == null) {
        c = context(trustManager(verify, null));
        if (verify) {
          verifyingDefault = c;
        } else {
          trustingDefault = c;
        }
      }
      return c;
    }
    return context(trustManager(verify, trustStore));
  }

  /**
   * Whether a context the application set as the JVM's default ({@code SSLContext.setDefault}) decides about
   * the chain for these settings: verifying, no trust store given, and the default replaced. Then
   * {@link #context(boolean, KeyStore)} returns that context (its trust managers cannot be read or wrapped),
   * and whoever needs the chain takes it from the session.
   *
   * @param verify whether certificates and host names are verified
   * @param trustStore the trust anchors, or null for the JVM's default trust store
   * @return true if the application's context decides
   */
  public static boolean applicationDecides(boolean verify, KeyStore trustStore) {
    return verify && trustStore == null && isApplications(jvmDefault());
  }

  /** Whether the JVM's default context was replaced by the application (the JDK's own is "Default"). */
  private static boolean isApplications(SSLContext jvm) {
    return !"Default".equals(jvm.getProtocol());
  }

  /**
   * The application's context, with the policy's key floor and subjectAltName checks added to its engines
   * (the JDK's HTTP client has no hook after the handshake, and the application's trust managers cannot be
   * read out of its context). One wrapper per application context, so that clients keyed by context are
   * reused.
   */
  private static SSLContext checking(SSLContext app) {
    Object[] last = appChecking;
    if (last != null && last[0] == app) {
      return (SSLContext) last[1];
    }
    synchronized (TlsPolicy.class) {
      last = appChecking;
      if (last != null && last[0] == app) {
        return (SSLContext) last[1];
      }
      SSLContext c = new CheckingContext(app);
      appChecking = new Object[] {app, c};
      return c;
    }
  }

  private static SSLContext jvmDefault() {
    try {
      return SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no default TLS context", e);
    }
  }

  /**
   * Checks a finished handshake against the policy: the protocol floor, the server key floor and, when
   * verifying, subjectAltName. For socket connections, before any application byte is sent; it repeats
   * what the policy's trust manager checked, and covers a context the application set as the JVM's
   * default.
   *
   * @param session the handshake's session
   * @param host the host connected to
   * @param verify whether certificates are verified
   * @throws javax.net.ssl.SSLHandshakeException if the session breaks the policy
   */
  public static void checkPeer(javax.net.ssl.SSLSession session, String host, boolean verify)
      throws javax.net.ssl.SSLHandshakeException {
    try {
      if (!PROTOCOLS.contains(session.getProtocol())) {
        throw new CertificateException("protocol_version: " + session.getProtocol() + " is below TLS 1.2");
      }
      java.security.cert.Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate) {
        checkKey((X509Certificate) chain[0]);
        if (verify) {
          checkSubjectAltName((X509Certificate) chain[0], host);
        }
      }
    } catch (CertificateException | javax.net.ssl.SSLPeerUnverifiedException e) {
      javax.net.ssl.SSLHandshakeException h = new javax.net.ssl.SSLHandshakeException(e.getMessage());
      h.initCause(e);
      throw h;
    }
  }

  /**
   * A TLS context around a trust manager (one of this policy, or one that wraps it).
   *
   * @param trustManager the trust manager
   * @return the context
   */
  public static SSLContext context(X509ExtendedTrustManager trustManager) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {trustManager}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The trust manager of the policy.
   *
   * @param verify whether the chain is verified (false: "Do not verify TLS certificate")
   * @param trustStore the trust anchors, or null for the JVM's default trust store
   * @return the trust manager
   */
  public static X509ExtendedTrustManager trustManager(boolean verify, KeyStore trustStore) {
    return new PolicyTrustManager(verify ? jvmTrustManager(trustStore) : null);
  }

  /**
   * Checks the server certificate's key against the floor.
   *
   * @param leaf the server's certificate
   * @throws CertificateException if its key is too small
   */
  public static void checkKey(X509Certificate leaf) throws CertificateException {
    PublicKey k = leaf.getPublicKey();
    if (k instanceof RSAKey) {
      int bits = ((RSAKey) k).getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new CertificateException("weak key: the server's certificate has a " + bits + "-bit RSA key; at"
            + " least " + MIN_RSA_BITS + " bits are required");
      }
    } else if (k instanceof DSAKey) {
      int bits = ((DSAKey) k).getParams().getP().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new CertificateException("weak key: the server's certificate has a " + bits + "-bit DSA key; at"
            + " least " + MIN_RSA_BITS + " bits are required");
      }
    } else if (k instanceof ECKey) {
      int bits = ((ECKey) k).getParams().getCurve().getField().getFieldSize();
      if (bits < MIN_EC_BITS) {
        throw new CertificateException("weak key: the server's certificate has a " + bits + "-bit EC key; at"
            + " least " + MIN_EC_BITS + " bits are required");
      }
    }
  }

  /**
   * Checks that the certificate names its hosts in subjectAltName (DNS names for a host name, IP addresses
   * for an address), so that the JDK's host name check cannot fall back to the subject CN.
   *
   * @param leaf the server's certificate
   * @param host the host connected to, or null if unknown (then any DNS or IP entry will do)
   * @throws CertificateException if there is no such entry
   */
  public static void checkSubjectAltName(X509Certificate leaf, String host) throws CertificateException {
    Collection<List<?>> names;
    try {
      names = leaf.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException("No subject alternative names can be read from the certificate", e);
    }
    boolean ip = host != null && !isDnsName(host);
    if (names != null) {
      for (List<?> n : names) {
        Object type = n.get(0);
        if (type instanceof Integer && (host == null ? ((Integer) type == 2 || (Integer) type == 7)
            : (Integer) type == (ip ? 7 : 2))) {
          return;
        }
      }
    }
    throw new CertificateException("No subject alternative " + (ip ? "IP addresses" : "DNS names")
        + " present: the certificate names its host only in the subject CN, which is not accepted");
  }

  private static boolean isDnsName(String host) {
    return host.indexOf(':') < 0 && !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static X509ExtendedTrustManager jvmTrustManager(KeyStore trustStore) {
    try {
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(trustStore);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) tm;
        }
      }
      throw new IllegalStateException("the JVM has no X509ExtendedTrustManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the trust store: " + e.getMessage(), e);
    }
  }

  /** An application's context whose engines apply the policy ({@link PolicyEngine}); sockets as they are. */
  private static final class CheckingContext extends SSLContext {
    CheckingContext(SSLContext app) {
      super(new CheckingSpi(app), app.getProvider(), app.getProtocol());
    }
  }

  private static final class CheckingSpi extends javax.net.ssl.SSLContextSpi {
    private final SSLContext app;

    CheckingSpi(SSLContext app) {
      this.app = app;
    }

    @Override
    protected void engineInit(javax.net.ssl.KeyManager[] km, TrustManager[] tm, java.security.SecureRandom sr) {
      throw new IllegalStateException("already initialized");
    }

    @Override
    protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() {
      // the callers check every socket with checkPeer before sending anything
      return app.getSocketFactory();
    }

    @Override
    protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() {
      throw new UnsupportedOperationException("client connections only");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new PolicyEngine(app.createSSLEngine(), null, -1);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new PolicyEngine(app.createSSLEngine(host, port), host, port);
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
      return app.getServerSessionContext();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
      return app.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return app.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return app.getSupportedSSLParameters();
    }
  }

  /**
   * A client engine of the application's context that checks the server's certificate against the policy
   * (key floor, subjectAltName when the host name is checked) as soon as the handshake has it, before the
   * engine writes its next handshake message, and the finished session again: so a refused server gets no
   * application byte.
   */
  private static final class PolicyEngine extends SSLEngine {
    private final SSLEngine e;
    private volatile boolean checked;

    PolicyEngine(SSLEngine e, String host, int port) {
      super(host, port);
      this.e = e;
    }

    private String host() {
      String h = getPeerHost();
      return h == null ? null : h.toLowerCase(Locale.ROOT);
    }

    /** Checks the handshake session once it has the server's certificate. */
    private void checkHandshake() throws javax.net.ssl.SSLHandshakeException {
      if (checked || !e.getUseClientMode()) {
        return;
      }
      javax.net.ssl.SSLSession hs = e.getHandshakeSession();
      if (hs == null) {
        return;
      }
      try {
        hs.getPeerCertificates();
      } catch (javax.net.ssl.SSLPeerUnverifiedException notYet) {
        return;
      }
      fail(hs);
      checked = true;
    }

    private void checkFinished(SSLEngineResult r) throws javax.net.ssl.SSLHandshakeException {
      if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED && e.getUseClientMode()) {
        fail(e.getSession());
        checked = false; // a renegotiation or a later handshake is checked again
      }
    }

    private void fail(javax.net.ssl.SSLSession s) throws javax.net.ssl.SSLHandshakeException {
      try {
        checkPeer(s, host(), true); // only verifying connections use the application's context
      } catch (javax.net.ssl.SSLHandshakeException x) {
        e.closeOutbound();
        throw x;
      }
    }

    @Override
    public SSLEngineResult wrap(java.nio.ByteBuffer[] srcs, int offset, int length, java.nio.ByteBuffer dst)
        throws javax.net.ssl.SSLException {
      checkHandshake();
      SSLEngineResult r = e.wrap(srcs, offset, length, dst);
      checkFinished(r);
      return r;
    }

    @Override
    public SSLEngineResult unwrap(java.nio.ByteBuffer src, java.nio.ByteBuffer[] dsts, int offset, int length)
        throws javax.net.ssl.SSLException {
      SSLEngineResult r = e.unwrap(src, dsts, offset, length);
      checkFinished(r);
      return r;
    }

    @Override
    public Runnable getDelegatedTask() {
      return e.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws javax.net.ssl.SSLException {
      e.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return e.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      e.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return e.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return e.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return e.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      e.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
      return e.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return e.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      e.setEnabledProtocols(protocols);
    }

    @Override
    public javax.net.ssl.SSLSession getSession() {
      return e.getSession();
    }

    @Override
    public javax.net.ssl.SSLSession getHandshakeSession() {
      return e.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws javax.net.ssl.SSLException {
      e.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return e.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      e.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return e.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      e.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return e.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      e.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return e.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      e.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return e.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
      return e.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
      e.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
      return e.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return e.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(
        java.util.function.BiFunction<SSLEngine, List<String>, String> selector) {
      e.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public java.util.function.BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
      return e.getHandshakeApplicationProtocolSelector();
    }
  }

  /** The policy's trust manager: the JVM's checks when verifying, then the key floor and subjectAltName. */
  private static final class PolicyTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jvm;

    PolicyTrustManager(X509ExtendedTrustManager jvm) {
      this.jvm = jvm;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (jvm != null) {
        jvm.checkServerTrusted(chain, authType, socket);
      }
      after(chain, socket instanceof javax.net.ssl.SSLSocket
          ? peerHost(((javax.net.ssl.SSLSocket) socket).getHandshakeSession()) : null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      if (jvm != null) {
        jvm.checkServerTrusted(chain, authType, engine);
      }
      after(chain, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (jvm != null) {
        jvm.checkServerTrusted(chain, authType);
      }
      after(chain, null);
    }

    private void after(X509Certificate[] chain, String host) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      checkKey(chain[0]);
      if (jvm != null) {
        checkSubjectAltName(chain[0], host == null ? null : host.toLowerCase(Locale.ROOT));
      }
    }

    private static String peerHost(javax.net.ssl.SSLSession s) {
      return s == null ? null : s.getPeerHost();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("Mailroom's trust manager only checks servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("Mailroom's trust manager only checks servers");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("Mailroom's trust manager only checks servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return jvm == null ? new X509Certificate[0] : jvm.getAcceptedIssuers();
    }
  }
}
