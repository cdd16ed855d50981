package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.TestCertificates;
import dev.mailroom.testkit.TestCertificates.Authority;
import dev.mailroom.testkit.TestCertificates.DefaultTrust;
import dev.mailroom.testkit.TestCertificates.ServerCertificate;
import java.util.Locale;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11 item 6, the SMTP sender's part of the one TLS floor (STARTTLS and implicit TLS): a trusted
 * certificate with an RSA-1024 key is refused, also with "Do not verify TLS certificate"; a trusted certificate
 * that names its host only in the subject CN is refused; EC P-256 and RSA-2048 certificates with subjectAltName
 * work. Each refusal is a TLS failure with its own hint, before any command inside TLS (no AUTH, no MAIL).
 * The client trusts the test authority the way an application would, with {@code SSLContext.setDefault}
 * ({@link Authority#trustAsJvmDefault()}; the policy then checks the session after the handshake). TLS 1.0/1.1 servers: {@code OldTlsTest} in the
 * diagnostics module (it needs its own JVM).
 */
@Timeout(60)
class SmtpTlsFloorTest {
  private static final Authority CA = TestCertificates.authority("Mailroom TLS floor CA");
  private static final ServerCertificate RSA_1024 = CA.issueRsa(1024, "localhost", "127.0.0.1");
  private static final ServerCertificate CN_ONLY = CA.issueWithoutSubjectAltName("localhost");

  static ScriptedSmtpServer start(TlsMode mode, ServerCertificate cert) {
    return (mode == TlsMode.IMPLICIT ? ScriptedSmtpServer.builder().implicitTls(cert)
        : ScriptedSmtpServer.builder().starttls(cert)).start();
  }

  static EmailSettings settings(ScriptedSmtpServer server, TlsMode mode, boolean verify) {
    return Faults.settings(server).host("localhost").tlsMode(mode).verifyTlsCertificate(verify)
        .username("billing@acme.example").password("secret-password").build();
  }

  /** Nothing was sent inside TLS; before it only EHLO and STARTTLS (STARTTLS) or nothing (implicit TLS). */
  static void assertNothingSentInsideTls(ScriptedSmtpServer server, TlsMode mode) {
    if (mode == TlsMode.IMPLICIT) {
      assertThat(server.commands()).isEmpty();
    } else {
      assertThat(server.commands()).extracting(ReceivedCommand::verb).containsExactly("EHLO", "STARTTLS");
    }
    assertThat(server.commands()).noneMatch(ReceivedCommand::tls);
    assertThat(server.messages()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void aTrustedCertificateWithAnRsa1024KeyIsRefusedEvenWithoutVerification(TlsMode mode) {
    for (boolean verify : new boolean[] {true, false}) {
      try (DefaultTrust trust = CA.trustAsJvmDefault(); ScriptedSmtpServer server = start(mode, RSA_1024)) {
        SendException e = fail(settings(server, mode, verify));
        String what = mode + ", verify " + verify;
        assertThat(e.category()).as(what).isEqualTo(FailureCategory.TLS);
        assertThat(e.failure().hintKey()).as(what).isEqualTo("hint.tls.weak-key");
        assertThat(e.isTransient()).as(what).isFalse();
        assertThat(e.getMessage()).as(what).contains("1024-bit RSA key").contains("2048");
        assertThat(e.hint(Locale.ENGLISH)).as(what).contains("RSA 1024 bits").doesNotContain("self-signed");
        assertNothingSentInsideTls(server, mode);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void aTrustedCertificateThatNamesItsHostOnlyInTheCnIsRefused(TlsMode mode) {
    try (DefaultTrust trust = CA.trustAsJvmDefault(); ScriptedSmtpServer server = start(mode, CN_ONLY)) {
      SendException e = fail(settings(server, mode, true));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.no-subject-alt-name");
      assertThat(e.getMessage()).contains("only in its subject (CN)");
      assertThat(e.hint(Locale.ENGLISH)).contains("subjectAltName").contains("localhost");
      assertNothingSentInsideTls(server, mode);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"STARTTLS", "IMPLICIT"})
  void ecP256AndRsa2048CertificatesWithSubjectAltNameWork(TlsMode mode) throws Exception {
    for (ServerCertificate cert : new ServerCertificate[] {CA.issue("localhost", "127.0.0.1"),
        CA.issueRsa(2048, "localhost", "127.0.0.1")}) {
      try (DefaultTrust trust = CA.trustAsJvmDefault(); ScriptedSmtpServer server = start(mode, cert);
          Mailer mailer = Mailer.open(settings(server, mode, true))) {
        mailer.send(Faults.email());
        assertThat(server.messages()).as(cert.toString()).hasSize(1);
        assertThat(server.messages().get(0).tls()).isTrue();
        assertThat(server.receivedInPlaintext("AUTH")).isFalse();
      }
    }
  }
}
