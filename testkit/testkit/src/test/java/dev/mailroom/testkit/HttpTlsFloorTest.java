package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.testkit.TestCertificates.Authority;
import dev.mailroom.testkit.TestCertificates.DefaultTrust;
import dev.mailroom.testkit.TestCertificates.ServerCertificate;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 item 6, the HTTP sender's part of the one TLS floor (the JDK's HTTP client): a trusted certificate
 * with an RSA-1024 key is refused, also with "Do not verify TLS certificate"; a trusted certificate that
 * names its host only in the subject CN is refused; EC P-256 and RSA-2048 certificates with subjectAltName
 * work. The client trusts the test authority with {@code SSLContext.setDefault}
 * ({@link Authority#trustAsJvmDefault()}), as an application would:
 * the HTTP client has no hook after the handshake, so these tests fail unless the policy checks the
 * application's context's engines too. Each refusal is a TLS failure before any request. TLS 1.0/1.1 servers:
 * {@code OldTlsTest} in the diagnostics module (it needs its own JVM).
 */
@Timeout(60)
class HttpTlsFloorTest {
  private static final Authority CA = TestCertificates.authority("Mailroom HTTP TLS floor CA");

  static EmailSettings settings(MailroomHttpServer server, boolean verify) {
    return server.settingsBuilder().httpServer("https://localhost:" + server.port() + MailroomHttpServer.FORM_PATH)
        .verifyTlsCertificate(verify).build();
  }

  static Email email() {
    return Email.builder().to("customer@example.com").subject("Invoice 42").text("Please pay.").build();
  }

  static SendException fail(EmailSettings settings) {
    try (Mailer mailer = Mailer.open(settings, MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email()));
      assertThat(e).as("the send must fail").isNotNull();
      return e;
    }
  }

  @Test
  void aTrustedCertificateWithAnRsa1024KeyIsRefusedEvenWithoutVerification() {
    try (DefaultTrust trust = CA.trustAsJvmDefault();
        MailroomHttpServer server = MailroomHttpServer.builder().tls(CA.issueRsa(1024, "localhost", "127.0.0.1"))
            .build().start()) {
      for (boolean verify : new boolean[] {true, false}) {
        SendException e = fail(settings(server, verify));
        String what = "verify " + verify;
        assertThat(e.category()).as(what).isEqualTo(FailureCategory.TLS);
        assertThat(e.failure().hintKey()).as(what).isEqualTo("hint.tls.weak-key");
        assertThat(e.isTransient()).as(what).isFalse();
        assertThat(e.getMessage()).as(what).contains("1024-bit RSA key").contains("2048");
        assertThat(e.hint(Locale.ENGLISH)).as(what).contains("RSA 1024 bits").doesNotContain("self-signed");
      }
      server.assertNoneReceived();
    }
  }

  @Test
  void aTrustedCertificateThatNamesItsHostOnlyInTheCnIsRefused() {
    try (DefaultTrust trust = CA.trustAsJvmDefault();
        MailroomHttpServer server = MailroomHttpServer.builder().tls(CA.issueWithoutSubjectAltName("localhost"))
            .build().start()) {
      SendException e = fail(settings(server, true));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.no-subject-alt-name");
      assertThat(e.getMessage()).contains("only in its subject (CN)");
      assertThat(e.hint(Locale.ENGLISH)).contains("subjectAltName").contains("localhost");
      server.assertNoneReceived();
    }
  }

  @Test
  void ecP256AndRsa2048CertificatesWithSubjectAltNameWork() throws Exception {
    for (ServerCertificate cert : new ServerCertificate[] {CA.issue("localhost", "127.0.0.1"),
        CA.issueRsa(2048, "localhost", "127.0.0.1")}) {
      try (DefaultTrust trust = CA.trustAsJvmDefault();
          MailroomHttpServer server = MailroomHttpServer.builder().tls(cert).build().start();
          Mailer mailer = Mailer.open(settings(server, true))) {
        mailer.send(email());
        assertThat(server.received()).as(cert.toString()).hasSize(1);
      }
    }
  }

  @Test
  void withoutTheApplicationsTrustTheTestAuthorityIsNotTrusted() {
    // the control for the tests above: the policy's own context does not trust the test authority
    try (MailroomHttpServer server = MailroomHttpServer.builder().tls(CA.issue("localhost", "127.0.0.1"))
        .build().start()) {
      SendException e = fail(settings(server, true));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.untrusted");
      server.assertNoneReceived();
    }
  }
}
