package dev.mailroom.diagnostics;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.internal.TlsPolicy;
import dev.mailroom.diagnostics.internal.LineChannel;
import dev.mailroom.diagnostics.internal.RecordingTrustManager;
import dev.mailroom.diagnostics.internal.Transcript;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** The TLS part shared by the SMTP and HTTP checks: handshake, certificate panel, TLS failures, warnings. */
final class TlsSteps {
  private TlsSteps() {}

  /**
   * Opens a new connection to the server of the session (an address already checked), ready for a TLS
   * handshake (for STARTTLS: greeted and STARTTLS accepted), for {@link #chain}'s second handshake. Closes
   * what it opened when it fails.
   */
  interface Reopen {
    /**
     * @param scratch the transcript for the new connection's lines (not the session's)
     * @return the connection
     */
    LineChannel open(Transcript scratch) throws IOException;
  }

  /**
   * Runs a handshake on {@code channel} as step {@code step}; records the certificate, the step and its
   * warnings.
   *
   * @param reopen opens a new connection for the certificate panel if the application's context refuses
   *     the chain; null for none
   * @return true if TLS is up
   */
  static boolean handshake(Session s, LineChannel channel, String step, long t0, boolean implicit, Reopen reopen) {
    boolean verify = s.settings.verifyTlsCertificate();
    RecordingTrustManager trust = RecordingTrustManager.create(verify, s.options.trustStore().orElse(null));
    s.transcript.note("Starting TLS with " + s.host() + ":" + s.port()
        + (verify ? "" : " (certificate not verified: \"Do not verify TLS certificate\" is on)")
        + (trust.applicationDecides() ? " (the application's own default TLS context decides about the certificate)"
            : ""));
    try {
      SSLSocket ssl = channel.startTls(trust.context(), s.host(), s.port(), verify,
          s.settings.readTimeout());
      SSLSession session = ssl.getSession();
      X509Certificate[] chain = chain(s, trust, channel, null, null);
      if (chain != null) {
        s.certificate = CertificateSummary.of(chain, verify);
        certificateWarnings(s, chain, trust.authType());
      }
      s.transcript.note("TLS started: " + session.getProtocol() + ", " + session.getCipherSuite());
      s.ok(step, t0, "detail.tls.ok", session.getProtocol(), session.getCipherSuite(),
          s.certificate == null ? "?" : s.certificate.validFor());
      return true;
    } catch (IOException e) {
      s.transcript.note("TLS failed: " + NetworkFailures.messages(e));
      X509Certificate[] chain = chain(s, trust, channel, e, reopen);
      if (chain != null && chain.length > 0) {
        s.certificate = CertificateSummary.of(chain, false);
        if (s.certificate.interceptedBy().isPresent()) {
          s.warning(DiagnosticWarning.TLS_INTERCEPTED, s.certificate.interceptedBy().get(), s.host());
        }
      }
      Failure f = failure(s, e, implicit);
      s.fail(step, t0, f);
      return false;
    }
  }

  /**
   * The server's chain after a handshake on {@code channel}, for the certificate panel: as the recording
   * trust manager saw it, else from the finished handshake's session (the application's context decided,
   * or the policy refused the session afterwards). If the application's context refused the chain during
   * the handshake ({@code refused} a handshake exception), nobody could record it: then, with
   * {@code reopen}, a second handshake over a new connection with a recording trust manager that does not
   * verify, closed right after the handshake (no byte is sent inside TLS), only to show the certificate.
   *
   * @return the chain, or null if there is none to show
   */
  static X509Certificate[] chain(Session s, RecordingTrustManager trust, LineChannel channel, IOException refused,
      Reopen reopen) {
    X509Certificate[] chain = trust.chain();
    if (chain == null && channel.tlsSession() != null) {
      chain = peerChain(channel.tlsSession());
    }
    if (chain != null || reopen == null || !trust.applicationDecides()
        || !(refused instanceof SSLHandshakeException)) {
      return chain;
    }
    s.transcript.note("Fetching the certificate for the report over a second connection (not verified, closed"
        + " right after the handshake, nothing sent inside TLS)");
    RecordingTrustManager recorder = RecordingTrustManager.create(false, null);
    LineChannel c = null;
    try {
      c = reopen.open(new Transcript(false));
      c.startTls(recorder.context(), s.host(), s.port(), false, s.settings.readTimeout());
    } catch (IOException | RuntimeException e) {
      // no certificate to show; the first handshake's failure is what is reported
    } finally {
      if (c != null) {
        c.close();
      }
    }
    return recorder.chain();
  }

  private static X509Certificate[] peerChain(SSLSession session) {
    try {
      Certificate[] c = session.getPeerCertificates();
      if (c.length == 0 || !Arrays.stream(c).allMatch(x -> x instanceof X509Certificate)) {
        return null;
      }
      return Arrays.copyOf(c, c.length, X509Certificate[].class);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** Classifies a TLS failure with the shared rules, then names the certificate where it helps. */
  static Failure failure(Session s, IOException e, boolean implicit) {
    Failure f = NetworkFailures.classify(e, s.host(), s.port(), implicit).build();
    CertificateSummary c = s.certificate;
    if (c == null || f.category() != FailureCategory.TLS) {
      return withProvider(s, f);
    }
    String where = s.host() + ":" + s.port();
    switch (f.hintKey()) {
      case "hint.tls.hostname-mismatch":
        return rebuild(s, f, "The certificate of " + where + " is for " + c.validFor() + ", not for " + s.host(),
            "hint.tls.hostname-mismatch", c.validFor());
      case "hint.tls.expired":
        String date = NetworkFailures.date(Date.from(c.notAfter()));
        return rebuild(s, f, "The certificate of " + where + " expired on " + date, "hint.tls.expired", date);
      case "hint.tls.untrusted":
        if (c.interceptedBy().isPresent()) {
          return rebuild(s, f, "The certificate of " + where + " was issued by " + c.issuer()
              + ", which looks like " + c.interceptedBy().get() + " intercepting encrypted connections",
              "hint.tls.intercepted", c.interceptedBy().get());
        }
        if (c.selfSigned()) {
          return rebuild(s, f, "The certificate of " + where + " is self-signed (" + c.subject() + ")",
              "hint.tls.self-signed", c.subject());
        }
        boolean app = TlsPolicy.applicationDecides(s.settings.verifyTlsCertificate(),
            s.options.trustStore().orElse(null));
        return rebuild(s, f, "The certificate of " + where + " is not trusted: it was issued by " + c.issuer()
            + ", which " + (app ? "this application's TLS context" : "Java") + " does not trust",
            "hint.tls.untrusted", c.issuer());
      default:
        return withProvider(s, f);
    }
  }

  private static Failure withProvider(Session s, Failure f) {
    return s.provider == null ? f : rebuild(s, f, f.message(), f.hintKey(), "");
  }

  /** A copy of {@code f} with another message and hint (Failure has no toBuilder). */
  static Failure rebuild(Session s, Failure f, String message, String hintKey, String detail) {
    Failure.Builder b = Failure.builder(f.category()).transientFailure(f.isTransient()).message(message)
        .hint(hintKey, detail);
    f.host().ifPresent(h -> b.server(h, f.port().orElse(s.port())));
    f.code().ifPresent(b::code);
    f.enhancedStatus().ifPresent(b::enhancedStatus);
    f.serverReply().ifPresent(b::serverReply);
    f.retryAfter().ifPresent(b::retryAfter);
    if (f.provider().isPresent()) {
      b.provider(f.provider().get());
    } else if (s.provider != null) {
      b.provider(s.provider.id());
    }
    return b.build();
  }

  private static void certificateWarnings(Session s, X509Certificate[] chain, String authType) {
    CertificateSummary c = s.certificate;
    if (c.interceptedBy().isPresent()) {
      s.warning(DiagnosticWarning.TLS_INTERCEPTED, c.interceptedBy().get(), s.host());
    }
    Instant now = Instant.now();
    if (!c.expiredAt(now) && c.notAfter().isBefore(now.plus(14, ChronoUnit.DAYS))) {
      s.warning(DiagnosticWarning.CERTIFICATE_EXPIRES_SOON, s.host(),
          NetworkFailures.date(Date.from(c.notAfter())));
    }
    if (!s.settings.verifyTlsCertificate() && !ProviderDetection.wellKnown(s.provider)
        && matchesHost(c, s.host())
        && RecordingTrustManager.wouldTrust(chain, authType, s.options.trustStore().orElse(null))) {
      s.warning(DiagnosticWarning.VERIFY_OFF, s.host());
    }
  }

  /** Whether the certificate names {@code host} (DNS names with one leading wildcard label, or an IP). */
  static boolean matchesHost(CertificateSummary c, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    List<String> names = c.subjectAlternativeNames().isEmpty() ? List.of(c.validFor())
        : c.subjectAlternativeNames();
    for (String n : names) {
      String name = n.toLowerCase(Locale.ROOT);
      if (name.equals(h)) {
        return true;
      }
      if (name.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(name.substring(1))) {
        return true;
      }
    }
    return false;
  }
}
