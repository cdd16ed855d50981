package dev.mailroom.diagnostics;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.internal.NetworkFailures;
import dev.mailroom.diagnostics.internal.LineChannel;
import dev.mailroom.diagnostics.internal.RecordingTrustManager;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** The TLS part shared by the SMTP and HTTP checks: handshake, certificate panel, TLS failures, warnings. */
final class TlsSteps {
  private TlsSteps() {}

  /**
   * Runs a handshake on {@code channel} as step {@code step}; records the certificate, the step and its
   * warnings.
   *
   * @return true if TLS is up
   */
  static boolean handshake(Session s, LineChannel channel, String step, long t0, boolean implicit) {
    boolean verify = s.settings.verifyTlsCertificate();
    RecordingTrustManager trust = RecordingTrustManager.create(verify, s.options.trustStore().orElse(null));
    s.transcript.note("Starting TLS with " + s.host() + ":" + s.port()
        + (verify ? "" : " (certificate not verified: \"Do not verify TLS certificate\" is on)"));
    try {
      SSLSocket ssl = channel.startTls(trust.context(), s.host(), s.port(), verify,
          s.settings.readTimeout());
      SSLSession session = ssl.getSession();
      X509Certificate[] chain = trust.chain();
      if (chain != null) {
        s.certificate = CertificateSummary.of(chain, verify);
        certificateWarnings(s, chain, trust.authType());
      }
      s.transcript.note("TLS started: " + session.getProtocol() + ", " + session.getCipherSuite());
      s.ok(step, t0, "detail.tls.ok", session.getProtocol(), session.getCipherSuite(),
          s.certificate == null ? "?" : s.certificate.validFor());
      return true;
    } catch (IOException e) {
      X509Certificate[] chain = trust.chain();
      if (chain != null && chain.length > 0) {
        s.certificate = CertificateSummary.of(chain, false);
        if (s.certificate.interceptedBy().isPresent()) {
          s.warning(DiagnosticWarning.TLS_INTERCEPTED, s.certificate.interceptedBy().get(), s.host());
        }
      }
      s.transcript.note("TLS failed: " + NetworkFailures.messages(e));
      Failure f = failure(s, e, implicit);
      s.fail(step, t0, f);
      return false;
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
        return rebuild(s, f, "The certificate of " + where + " is not trusted: it was issued by " + c.issuer()
            + ", which Java does not trust", "hint.tls.untrusted", c.issuer());
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
