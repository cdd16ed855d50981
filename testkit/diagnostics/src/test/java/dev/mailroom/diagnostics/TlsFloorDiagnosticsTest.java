package dev.mailroom.diagnostics;

import static dev.mailroom.diagnostics.SmtpFailureDiagnosticsTest.OPTIONS;
import static dev.mailroom.diagnostics.SmtpFailureDiagnosticsTest.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.TestCertificates;
import dev.mailroom.testkit.TestCertificates.Authority;
import dev.mailroom.testkit.TestCertificates.ServerCertificate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11 item 6, the diagnostics' part of the one TLS floor (their own SMTP client with STARTTLS and
 * implicit TLS, and the HTTP check): a trusted certificate with an RSA-1024 key is refused, also with "Do not
 * verify TLS certificate"; a trusted certificate that names its host only in the subject CN is refused; EC
 * P-256 and RSA-2048 certificates with subjectAltName pass the TLS step. The test authority is trusted through
 * {@link DiagnosticOptions.Builder#trustStore}, so the policy's own trust manager decides. Each refusal fails
 * the TLS step with the sender's category and hint, before any command inside TLS or any HTTP request.
 * TLS 1.0/1.1 servers: {@link OldTlsTest}.
 */
@Timeout(60)
class TlsFloorDiagnosticsTest {
  private static Authority ca;
  private static DiagnosticOptions trusting;
  private static ServerCertificate rsa1024;
  private static ServerCertificate cnOnly;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.authority("Mailroom diagnostics TLS floor CA");
    trusting = OPTIONS.toBuilder().trustStore(ca.trustStore()).probe(false).build();
    rsa1024 = ca.issueRsa(1024, "localhost", "127.0.0.1");
    cnOnly = ca.issueWithoutSubjectAltName("localhost");
  }

  static ScriptedSmtpServer start(TlsMode mode, ServerCertificate cert) {
    return (mode == TlsMode.IMPLICIT ? ScriptedSmtpServer.builder().implicitTls(cert)
        : ScriptedSmtpServer.builder().starttls(cert)).start();
  }

  static DiagnosticReport smtp(ScriptedSmtpServer server, TlsMode mode, boolean verify) {
    return ConnectionDiagnostics.run(settings(server, mode).host("localhost").verifyTlsCertificate(verify).build(),
        trusting);
  }

  static DiagnosticReport http(MailroomHttpServer server, boolean verify) {
    EmailSettings s = server.settingsBuilder()
        .httpServer("https://localhost:" + server.port() + MailroomHttpServer.FORM_PATH)
        .verifyTlsCertificate(verify).build();
    return ConnectionDiagnostics.run(s, trusting);
  }

  /** The step that starts TLS: {@code starttls} after the greeting, else {@code tls} on connect. */
  static String tlsStep(TlsMode mode) {
    return mode == TlsMode.STARTTLS ? DiagnosticStep.STARTTLS : DiagnosticStep.TLS;
  }

  /** The step that starts TLS failed with this hint, as a TLS failure. */
  static Failure assertTlsFailed(DiagnosticReport r, TlsMode mode, String hintKey, String what) {
    assertThat(r.failedStep().orElseThrow().name()).as(what + "\n" + r.toText()).isEqualTo(tlsStep(mode));
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).as(what).isEqualTo(FailureCategory.TLS);
    assertThat(f.hintKey()).as(what).isEqualTo(hintKey);
    return f;
  }

  static void assertNothingSentInsideTls(ScriptedSmtpServer server) {
    assertThat(server.commands()).noneMatch(ReceivedCommand::tls);
    assertThat(server.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH", "MAIL");
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void smtpRefusesATrustedRsa1024KeyEvenWithoutVerification(TlsMode mode) {
    for (boolean verify : new boolean[] {true, false}) {
      try (ScriptedSmtpServer server = start(mode, rsa1024)) {
        DiagnosticReport r = smtp(server, mode, verify);
        Failure f = assertTlsFailed(r, mode, "hint.tls.weak-key", mode + ", verify " + verify);
        assertThat(f.message()).contains("1024-bit RSA key");
        assertThat(f.hint(Locale.ENGLISH)).contains("RSA 1024 bits");
        // the certificate is still shown, so the user can see which one
        assertThat(r.certificate()).isPresent();
        assertNothingSentInsideTls(server);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void smtpRefusesATrustedCertificateThatNamesItsHostOnlyInTheCn(TlsMode mode) {
    try (ScriptedSmtpServer server = start(mode, cnOnly)) {
      DiagnosticReport r = smtp(server, mode, true);
      Failure f = assertTlsFailed(r, mode, "hint.tls.no-subject-alt-name", mode.toString());
      assertThat(f.message()).contains("only in its subject (CN)");
      assertThat(f.hint(Locale.ENGLISH)).contains("subjectAltName");
      assertNothingSentInsideTls(server);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void smtpAcceptsEcP256AndRsa2048CertificatesWithSubjectAltName(TlsMode mode) {
    for (ServerCertificate cert : List.of(ca.issue("localhost", "127.0.0.1"),
        ca.issueRsa(2048, "localhost", "127.0.0.1"))) {
      try (ScriptedSmtpServer server = start(mode, cert)) {
        DiagnosticReport r = smtp(server, mode, true);
        assertThat(r.ok()).as(cert + "\n" + r.toText()).isTrue();
        assertThat(r.step(tlsStep(mode)).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.OK);
        assertThat(r.certificate().orElseThrow().verified()).isTrue();
      }
    }
  }

  @Test
  void httpRefusesATrustedRsa1024KeyEvenWithoutVerification() {
    try (MailroomHttpServer server = MailroomHttpServer.builder().tls(rsa1024).build().start()) {
      for (boolean verify : new boolean[] {true, false}) {
        DiagnosticReport r = http(server, verify);
        Failure f = assertTlsFailed(r, TlsMode.IMPLICIT, "hint.tls.weak-key", "verify " + verify);
        assertThat(f.message()).contains("1024-bit RSA key");
        assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
      }
      server.assertNoneReceived();
    }
  }

  @Test
  void httpRefusesATrustedCertificateThatNamesItsHostOnlyInTheCn() {
    try (MailroomHttpServer server = MailroomHttpServer.builder().tls(cnOnly).build().start()) {
      DiagnosticReport r = http(server, true);
      Failure f = assertTlsFailed(r, TlsMode.IMPLICIT, "hint.tls.no-subject-alt-name", "https");
      assertThat(f.hint(Locale.ENGLISH)).contains("subjectAltName");
      assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
      server.assertNoneReceived();
    }
  }

  @Test
  void httpAcceptsEcP256AndRsa2048CertificatesWithSubjectAltName() {
    for (ServerCertificate cert : List.of(ca.issue("localhost", "127.0.0.1"),
        ca.issueRsa(2048, "localhost", "127.0.0.1"))) {
      try (MailroomHttpServer server = MailroomHttpServer.builder().tls(cert).build().start()) {
        DiagnosticReport r = http(server, true);
        assertThat(r.step(DiagnosticStep.TLS).orElseThrow().status()).as(cert + "\n" + r.toText())
            .isEqualTo(DiagnosticStep.Status.OK);
        assertThat(r.certificate().orElseThrow().verified()).isTrue();
      }
    }
  }
}
