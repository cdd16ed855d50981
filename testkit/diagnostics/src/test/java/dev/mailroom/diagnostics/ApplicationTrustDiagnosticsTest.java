package dev.mailroom.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.TestCertificates;
import dev.mailroom.testkit.TestCertificates.Authority;
import dev.mailroom.testkit.TestCertificates.DefaultTrust;
import dev.mailroom.testkit.TestCertificates.ServerCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10, one TLS policy for "Test email settings" and a real send: an application that trusts its
 * company CA by replacing the JVM's default context ({@code SSLContext.setDefault}, here
 * {@link Authority#trustAsJvmDefault()}) gets the same answer from the diagnostics as from a send through
 * {@link Mailer} on the same server: both succeed for a certificate that CA issued (SMTP with STARTTLS and
 * implicit TLS, the HTTPS key check), both fail with the same category, title and hint for a CA the
 * application does not trust, and the policy's key floor still refuses an RSA-1024 certificate from the
 * trusted CA. The certificate panel shows the server's certificate in every case (after a refusal by the
 * application's context, from a second, non-verifying handshake that sends nothing inside TLS). An explicit
 * {@link DiagnosticOptions.Builder#trustStore} still wins over the application's context.
 */
@Timeout(60)
class ApplicationTrustDiagnosticsTest {
  private static final Authority APP_CA = TestCertificates.authority("Mailroom application company CA");
  private static final Authority OTHER_CA = TestCertificates.authority("Mailroom CA nobody trusts");
  private static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true)
      .probe(false).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  static ScriptedSmtpServer start(TlsMode mode, ServerCertificate cert) {
    return (mode == TlsMode.IMPLICIT ? ScriptedSmtpServer.builder().implicitTls(cert)
        : ScriptedSmtpServer.builder().starttls(cert)).start();
  }

  static EmailSettings smtp(ScriptedSmtpServer server, TlsMode mode) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("localhost").port(server.port()).tlsMode(mode)
        .verifyTlsCertificate(true).emailAddress("billing@acme.example").username("billing@acme.example")
        .password("secret-password").connectTimeout(TIMEOUT).readTimeout(TIMEOUT).build();
  }

  static MailroomHttpServer https(ServerCertificate cert) {
    return MailroomHttpServer.builder().dialect("sendgrid").apiKey("SG.application-trust-key").tls(cert).build()
        .start();
  }

  static EmailSettings http(MailroomHttpServer server) {
    return server.settingsBuilder().verifyTlsCertificate(true).build();
  }

  static Email email() {
    return Email.builder().to("customer@example.com").subject("Invoice 42").text("Please pay.").build();
  }

  /** Sends one email through the real sender, one attempt: its failure, or null once it was sent. */
  static SendException send(EmailSettings settings) {
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
      mailer.send(email());
      return null;
    } catch (SendException e) {
      return e;
    }
  }

  static String tlsStep(TlsMode mode) {
    return mode == TlsMode.STARTTLS ? DiagnosticStep.STARTTLS : DiagnosticStep.TLS;
  }

  static String fingerprint(ServerCertificate cert) {
    return CertificateSummary.of(new X509Certificate[] {cert.certificate()}, false).sha256Fingerprint();
  }

  /** The diagnostics failed at the TLS step with the real send's category, title and hint key. */
  static Failure assertSameFailure(DiagnosticReport r, String step, SendException e, String hintKey) {
    assertThat(e).as("the real send must fail").isNotNull();
    assertThat(r.failedStep().orElseThrow().name()).as(r.toText()).isEqualTo(step);
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).as(r.toText()).isEqualTo(FailureCategory.TLS).isEqualTo(e.category());
    assertThat(f.hintKey()).as(r.toText()).isEqualTo(hintKey).isEqualTo(e.failure().hintKey());
    assertThat(f.title(Locale.ENGLISH)).isEqualTo(e.failure().title(Locale.ENGLISH));
    assertThat(f.isTransient()).isEqualTo(e.isTransient());
    return f;
  }

  /** The panel shows the server's certificate, not verified. */
  static void assertPanelShows(DiagnosticReport r, ServerCertificate cert, String issuer) {
    CertificateSummary c = r.certificate().orElseThrow(() -> new AssertionError("no certificate\n" + r.toText()));
    assertThat(c.sha256Fingerprint()).isEqualTo(fingerprint(cert));
    assertThat(c.issuer()).contains(issuer);
    assertThat(c.verified()).isFalse();
  }

  static void assertNothingSentInsideTls(ScriptedSmtpServer server) {
    assertThat(server.commands()).noneMatch(ReceivedCommand::tls);
    assertThat(server.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH", "MAIL");
    assertThat(server.messages()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void smtpWithTheApplicationsCaPassesAsARealSendDoes(TlsMode mode) {
    ServerCertificate cert = APP_CA.issue("localhost", "127.0.0.1");
    try (ScriptedSmtpServer server = start(mode, cert)) {
      // the control: without the application's context, the policy's own trust store refuses the CA
      DiagnosticReport before = ConnectionDiagnostics.run(smtp(server, mode), OPTIONS);
      assertThat(before.failure().orElseThrow().hintKey()).as(before.toText()).isEqualTo("hint.tls.untrusted");
    }
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault(); ScriptedSmtpServer server = start(mode, cert)) {
      DiagnosticReport r = ConnectionDiagnostics.run(smtp(server, mode), OPTIONS);

      assertThat(r.ok()).as(r.toText()).isTrue();
      assertThat(r.step(tlsStep(mode)).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.OK);
      assertThat(r.step(DiagnosticStep.AUTH).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.OK);
      CertificateSummary c = r.certificate().orElseThrow();
      assertThat(c.sha256Fingerprint()).isEqualTo(fingerprint(cert));
      assertThat(c.issuer()).contains("Mailroom application company CA");
      assertThat(c.verified()).isTrue();
      assertThat(String.join("\n", r.transcript())).contains("the application's own default TLS context decides");

      assertThat(send(smtp(server, mode))).isNull();
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0).tls()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void smtpWithACaTheApplicationDoesNotTrustFailsAsARealSendDoesAndShowsTheCertificate(TlsMode mode) {
    DiagnosticReport r = smtpRefused(mode, OTHER_CA.issue("localhost", "127.0.0.1"), "hint.tls.untrusted",
        "Mailroom CA nobody trusts");
    assertThat(r.failure().orElseThrow().message()).contains("Mailroom CA nobody trusts")
        .contains("this application's TLS context does not trust");
    assertThat(String.join("\n", r.transcript())).contains("second connection");
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void smtpFloorsStillRefuseAnRsa1024CertificateFromTheApplicationsCa(TlsMode mode) {
    DiagnosticReport r = smtpRefused(mode, APP_CA.issueRsa(1024, "localhost", "127.0.0.1"), "hint.tls.weak-key",
        "Mailroom application company CA");
    assertThat(r.failure().orElseThrow().message()).contains("1024-bit RSA key");
  }

  /**
   * With the application trusting {@link #APP_CA}: the diagnostics and a real send both refuse {@code cert}
   * with {@code hintKey}, nothing is sent inside TLS, and the panel shows {@code cert}.
   */
  static DiagnosticReport smtpRefused(TlsMode mode, ServerCertificate cert, String hintKey, String issuer) {
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault(); ScriptedSmtpServer server = start(mode, cert)) {
      DiagnosticReport r = ConnectionDiagnostics.run(smtp(server, mode), OPTIONS);
      assertNothingSentInsideTls(server);
      SendException e = send(smtp(server, mode));

      assertSameFailure(r, tlsStep(mode), e, hintKey);
      assertPanelShows(r, cert, issuer);
      assertNothingSentInsideTls(server);
      return r;
    }
  }

  @Test
  void theImplicitTlsProbeAsksTheApplicationsContextToo() {
    ServerCertificate trusted = APP_CA.issue("localhost", "127.0.0.1");
    ServerCertificate untrusted = OTHER_CA.issue("localhost", "127.0.0.1");
    DiagnosticOptions probing = OPTIONS.toBuilder().probe(true).build();
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault()) {
      for (ServerCertificate cert : new ServerCertificate[] {trusted, untrusted}) {
        try (ScriptedSmtpServer server = start(TlsMode.IMPLICIT, cert)) {
          // STARTTLS chosen, but the port speaks TLS from the first byte: no greeting, then the probe
          EmailSettings settings = smtp(server, TlsMode.STARTTLS).toBuilder().readTimeout(Duration.ofSeconds(2))
              .build();
          DiagnosticReport r = ConnectionDiagnostics.run(settings, probing);

          String expected = cert == trusted ? "detail.probe.implicit-works" : "detail.probe.implicit-works-untrusted";
          assertThat(r.step(DiagnosticStep.PROBE).orElseThrow(() -> new AssertionError(r.toText() + r.transcript()))
              .detailKey()).as(r.toText()).isEqualTo(expected);
          if (cert == untrusted) {
            // refused by the application's context: the panel shows the certificate all the same
            assertThat(r.certificate().orElseThrow().sha256Fingerprint()).isEqualTo(fingerprint(cert));
          }
          assertThat(server.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH", "MAIL");
        }
      }
    }
  }

  @Test
  void anExplicitTrustStoreStillWinsOverTheApplicationsContext() {
    DiagnosticOptions otherStore = OPTIONS.toBuilder().trustStore(OTHER_CA.trustStore()).build();
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault()) {
      try (ScriptedSmtpServer server = start(TlsMode.IMPLICIT, APP_CA.issue("localhost", "127.0.0.1"))) {
        DiagnosticReport r = ConnectionDiagnostics.run(smtp(server, TlsMode.IMPLICIT), otherStore);
        assertThat(r.failure().orElseThrow().hintKey()).as(r.toText()).isEqualTo("hint.tls.untrusted");
        assertThat(r.certificate().orElseThrow().issuer()).contains("Mailroom application company CA");
      }
      try (ScriptedSmtpServer server = start(TlsMode.IMPLICIT, OTHER_CA.issue("localhost", "127.0.0.1"))) {
        DiagnosticReport r = ConnectionDiagnostics.run(smtp(server, TlsMode.IMPLICIT), otherStore);
        assertThat(r.ok()).as(r.toText()).isTrue();
        assertThat(r.certificate().orElseThrow().verified()).isTrue();
      }
    }
  }

  @Test
  void httpsKeyCheckWithTheApplicationsCaPassesAsARealSendDoes() {
    ServerCertificate cert = APP_CA.issue("localhost", "127.0.0.1");
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault(); MailroomHttpServer server = https(cert)) {
      DiagnosticReport r = ConnectionDiagnostics.run(http(server), OPTIONS);

      assertThat(r.ok()).as(r.toText()).isTrue();
      assertThat(r.step(DiagnosticStep.TLS).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.OK);
      assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().status()).as(r.toText())
          .isEqualTo(DiagnosticStep.Status.OK);
      CertificateSummary c = r.certificate().orElseThrow();
      assertThat(c.sha256Fingerprint()).isEqualTo(fingerprint(cert));
      assertThat(c.verified()).isTrue();

      assertThat(send(http(server))).isNull();
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  void httpsKeyCheckWithACaTheApplicationDoesNotTrustFailsAsARealSendDoesAndShowsTheCertificate() {
    ServerCertificate cert = OTHER_CA.issue("localhost", "127.0.0.1");
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault(); MailroomHttpServer server = https(cert)) {
      DiagnosticReport r = ConnectionDiagnostics.run(http(server), OPTIONS);
      SendException e = send(http(server));

      assertSameFailure(r, DiagnosticStep.TLS, e, "hint.tls.untrusted");
      assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
      assertPanelShows(r, cert, "Mailroom CA nobody trusts");
      server.assertNoneReceived();
    }
  }

  @Test
  void httpsFloorsStillRefuseAnRsa1024CertificateFromTheApplicationsCa() {
    ServerCertificate cert = APP_CA.issueRsa(1024, "localhost", "127.0.0.1");
    try (DefaultTrust trust = APP_CA.trustAsJvmDefault(); MailroomHttpServer server = https(cert)) {
      DiagnosticReport r = ConnectionDiagnostics.run(http(server), OPTIONS);
      SendException e = send(http(server));

      Failure f = assertSameFailure(r, DiagnosticStep.TLS, e, "hint.tls.weak-key");
      assertThat(f.message()).contains("1024-bit RSA key");
      assertPanelShows(r, cert, "Mailroom application company CA");
      server.assertNoneReceived();
    }
  }
}
