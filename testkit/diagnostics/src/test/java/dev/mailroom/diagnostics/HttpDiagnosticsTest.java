package dev.mailroom.diagnostics;

import dev.mailroom.testkit.MailAssertions;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.junit.StartStop;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HttpDiagnosticsTest {
  @StartStop
  static MailroomHttpServer sendgrid = MailroomHttpServer.builder().dialect("sendgrid").apiKey(Canary.API_KEY)
      .build();

  @StartStop
  static MailroomHttpServer form = MailroomHttpServer.create();

  static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true).build();

  static String statuses(DiagnosticReport r) {
    return r.steps().stream().map(s -> s.name() + " " + s.status()).collect(Collectors.joining(", "));
  }

  @Test
  void checksTheApiKeyWithoutSending() {
    DiagnosticReport r = ConnectionDiagnostics.run(sendgrid.settings(), OPTIONS);

    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, request OK, send SKIPPED");
    assertThat(r.step(DiagnosticStep.REQUEST).orElseThrow().detail()).isEqualTo("GET /v3/scopes: 200 OK");
    assertThat(r.transcript()).contains("-> Authorization: Bearer ******");
    sendgrid.assertNoneReceived();
    Canary.assertNoCanary(r.toText() + r.toJson() + r.transcript());
  }

  @Test
  void overHttpsTheCertificateIsShownAndRefusedUnlessVerificationIsOff() {
    try (MailroomHttpServer https = MailroomHttpServer.builder().dialect("sendgrid").apiKey(Canary.API_KEY)
        .tls(true).build().start()) {
      DiagnosticReport unverified = ConnectionDiagnostics.run(https.settings(), OPTIONS);

      assertThat(unverified.ok()).as(unverified.toText()).isTrue();
      assertThat(statuses(unverified)).isEqualTo("resolve OK, connect OK, tls OK, request OK, send SKIPPED");
      CertificateSummary c = unverified.certificate().orElseThrow();
      assertThat(c.subjectAlternativeNames()).containsExactly("localhost", "127.0.0.1");
      assertThat(c.verified()).isFalse();
      assertThat(unverified.transcript()).contains("~> Authorization: Bearer ******");

      DiagnosticReport verified = ConnectionDiagnostics.run(https.settingsBuilder().verifyTlsCertificate(true)
          .build(), OPTIONS);

      assertThat(statuses(verified)).isEqualTo("resolve OK, connect OK, tls FAILED, request SKIPPED, send SKIPPED");
      assertThat(verified.failure().orElseThrow().category()).isEqualTo(FailureCategory.TLS);
      assertThat(verified.certificate().orElseThrow().sha256Fingerprint()).isEqualTo(c.sha256Fingerprint());
      https.assertNoneReceived();
      Canary.assertNoCanary(unverified.toText() + unverified.toJson() + unverified.transcript()
          + verified.toText() + verified.toJson() + verified.transcript());
    }
  }

  @Test
  void aRejectedApiKeyFailsTheCheckWithTheProvidersMessage() {
    EmailSettings settings = sendgrid.settingsBuilder().apiKey("not-the-key").build();

    DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

    assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, request FAILED, send SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(f.code()).hasValue(401);
    assertThat(f.hintKey()).isEqualTo("hint.http.api-key-rejected");
    assertThat(f.hint(Locale.ENGLISH)).startsWith("The mail service 127.0.0.1 refused the API key. Check the API key"
        + " in your email settings and that it is allowed to send email. The server responded: ");
    assertThat(f.serverReply().orElseThrow()).contains("The provided authorization grant is invalid");
  }

  @Test
  void sendsTheTestEmailThroughTheHttpSender() {
    DiagnosticReport r = ConnectionDiagnostics.run(sendgrid.settings(),
        OPTIONS.toBuilder().testRecipient("me@acme.test").build());

    assertThat(r.ok()).as(r.toText()).isTrue();
    assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, request OK, send OK");
    MailAssertions.assertThat(sendgrid.awaitOne(Duration.ofSeconds(10))).hasSubject("Mailroom test email")
        .sentTo("me@acme.test");
    Canary.assertNoCanary(r.toText() + r.toJson() + r.transcript());
  }

  @Test
  void theFormServiceCanOnlyBeCheckedBySending() {
    DiagnosticReport r = ConnectionDiagnostics.run(form.settings(), OPTIONS);

    assertThat(r.ok()).isTrue();
    assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, request SKIPPED, send SKIPPED");
    assertThat(r.warnings()).extracting(DiagnosticWarning::code)
        .containsExactly(DiagnosticWarning.NOT_VERIFIED_WITHOUT_RECIPIENT);
    form.assertNoneReceived();

    DiagnosticReport sent = ConnectionDiagnostics.run(form.settings(),
        OPTIONS.toBuilder().testRecipient("me@acme.test").build());
    assertThat(sent.ok()).as(sent.toText()).isTrue();
    assertThat(sent.warnings()).isEmpty();
    MailAssertions.assertThat(form.awaitOne(Duration.ofSeconds(10))).hasSubject("Mailroom test email");
  }

  @Test
  void aFailedTestEmailShowsTheSendersFailure() {
    form.failNext(500, "mail service down");
    DiagnosticReport r = ConnectionDiagnostics.run(form.settings(),
        OPTIONS.toBuilder().testRecipient("me@acme.test").build());

    assertThat(r.ok()).isFalse();
    assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.SEND);
    assertThat(r.failure().orElseThrow().code()).hasValue(500);
    form.assertNoneReceived();
  }

  @Test
  void httpsShowsTheCertificateAndAnAnswerThatIsNotHttpIsAProtocolFailure() {
    // an SMTP server with implicit TLS where an HTTPS API was expected: TLS works, the answer is no HTTP
    try (ScriptedSmtpServer notHttp = ScriptedSmtpServer.builder().implicitTls(TestCertificates.selfSigned())
        .start()) {
      EmailSettings settings = EmailSettings.builder().protocol(dev.mailroom.Protocol.HTTP)
          .httpServer("https://127.0.0.1:" + notHttp.port()).httpDialect("sendgrid").apiKey(Canary.API_KEY)
          .replyTo("office@acme.test").verifyTlsCertificate(false)
          .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10)).build();

      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

      assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls OK, request FAILED, send SKIPPED");
      assertThat(r.certificate().orElseThrow().subjectAlternativeNames()).containsExactly("localhost", "127.0.0.1");
      assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.PROTOCOL);
      assertThat(r.failure().get().message()).contains("does not answer like an email service's API");
      assertThat(r.transcript()).contains("~> Authorization: Bearer ******");
      Canary.assertNoCanary(r.toText() + r.toJson() + r.transcript());
    }
  }
}
