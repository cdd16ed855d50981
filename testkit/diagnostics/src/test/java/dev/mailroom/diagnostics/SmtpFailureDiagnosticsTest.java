package dev.mailroom.diagnostics;

import dev.mailroom.testkit.UnansweredPort;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.ProviderPersona;
import dev.mailroom.testkit.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Protocol;
import dev.mailroom.Secret;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates.Authority;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics against the scripted server for every failure kind of the SMTP sender's issue, classified
 * the same way as the sender (core's SmtpReplies and NetworkFailures).
 */
class SmtpFailureDiagnosticsTest {
  static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true).build();
  static final DiagnosticOptions SEND = OPTIONS.toBuilder().testRecipient("jane@customer.test").build();

  static EmailSettings.Builder settings(ScriptedSmtpServer s, TlsMode mode) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(s.port()).tlsMode(mode)
        .username("billing@acme.test").password("secret-password")
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10));
  }

  /** Short timeouts, only for tests that exercise a timeout (they assert the category, not the time). */
  static EmailSettings.Builder timingOut(EmailSettings.Builder b) {
    return b.connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(1));
  }

  static String statuses(DiagnosticReport r) {
    return r.steps().stream().map(s -> s.name() + " " + s.status()).collect(Collectors.joining(", "));
  }

  static DiagnosticReport run(ScriptedSmtpServer.Builder server, TlsMode mode, DiagnosticOptions options) {
    try (ScriptedSmtpServer s = server.start()) {
      return ConnectionDiagnostics.run(settings(s, mode).build(), options);
    }
  }

  // ---- connecting

  @Test
  void connectTimeout() throws Exception {
    try (UnansweredPort p = UnansweredPort.open()) {
      EmailSettings settings = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1")
          .port(p.port()).tlsMode(TlsMode.NONE).emailAddress("billing@acme.test")
          .connectTimeout(Duration.ofMillis(500)).readTimeout(Duration.ofSeconds(1)).build();
      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);
      assertThat(statuses(r)).startsWith("resolve OK, connect FAILED");
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.connection.connect-timeout");
      assertThat(r.failure().get().hint(Locale.ENGLISH)).contains("firewall");
    }
  }

  @Test
  void aGreetingWith554ClosesTheSession() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.GREETING,
        Action.reply("554 5.7.1 No SMTP service here").then(Action.drop())), TlsMode.NONE, OPTIONS);

    assertThat(statuses(r)).startsWith("resolve OK, connect OK, tls SKIPPED, greeting FAILED, ehlo SKIPPED");
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(f.hintKey()).isEqualTo("hint.connection.closed-by-server");
    assertThat(f.code()).hasValue(554);
  }

  // ---- STARTTLS

  @Test
  void starttlsMissingStopsBeforeAnyLogin() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).build(), OPTIONS);

      assertThat(statuses(r)).startsWith("resolve OK, connect OK, tls SKIPPED, greeting OK, ehlo OK,"
          + " starttls FAILED, ehlo-tls SKIPPED, auth SKIPPED");
      Failure f = r.failure().orElseThrow();
      assertThat(f.category()).isEqualTo(FailureCategory.TLS);
      assertThat(f.hintKey()).isEqualTo("hint.tls.starttls-missing");
      assertThat(f.message()).isEqualTo("127.0.0.1:" + s.port()
          + " does not offer STARTTLS, so the connection cannot be encrypted");
      assertThat(s.receivedInPlaintext("AUTH")).isFalse();
      assertThat(s.receivedInPlaintext("MAIL")).isFalse();
    }
  }

  @Test
  void starttlsRefused() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.reply("454 4.7.0 TLS not available due to temporary reason")).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
          .build(), OPTIONS);

      Failure f = r.failure().orElseThrow();
      assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.STARTTLS);
      assertThat(f.category()).isEqualTo(FailureCategory.TLS);
      assertThat(f.hintKey()).isEqualTo("hint.tls.starttls-refused");
      assertThat(f.isTransient()).isTrue();
      assertThat(s.receivedInPlaintext("AUTH")).isFalse();
    }
  }

  @Test
  void bytesInjectedAfterTheStarttlsReplyEndTheSession() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.raw("220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 AUTH PLAIN\r\n"))
        .start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
          .build(), OPTIONS);

      Failure f = r.failure().orElseThrow();
      assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.STARTTLS);
      assertThat(f.category()).isEqualTo(FailureCategory.PROTOCOL);
      assertThat(f.hintKey()).isEqualTo("hint.protocol.starttls-injection");
      assertThat(s.commands()).noneMatch(c -> c.step() == Step.AUTH);
    }
  }

  @Test
  void aFailedEhloAfterStarttlsEndsTheSession() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned()).start()) {
      s.onNext(Step.EHLO, Action.accept());
      s.onNext(Step.EHLO, Action.reply("502 5.5.1 EHLO not allowed now"));

      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
          .build(), OPTIONS);

      assertThat(statuses(r)).contains("starttls OK, ehlo-tls FAILED, auth SKIPPED");
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.tls.ehlo-after-starttls");
      assertThat(s.commands()).noneMatch(c -> c.step() == Step.AUTH);
    }
  }

  @Test
  void starttlsWithASelfSignedCertificateAndVerificationOffPassesAndShowsTheCertificate() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned()).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
          .build(), OPTIONS);

      assertThat(r.ok()).as(r.toText()).isTrue();
      assertThat(statuses(r)).isEqualTo("resolve OK, connect OK, tls SKIPPED, greeting OK, ehlo OK, starttls OK,"
          + " ehlo-tls OK, auth OK, send SKIPPED, quit OK");
      CertificateSummary c = r.certificate().orElseThrow();
      assertThat(c.subjectAlternativeNames()).containsExactly("localhost", "127.0.0.1");
      assertThat(c.selfSigned()).isTrue();
      assertThat(c.verified()).isFalse();
      assertThat(r.transcript()).contains("-> STARTTLS", "~> AUTH PLAIN ******");
      assertThat(r.warnings()).isEmpty();
      assertThat(s.receivedInPlaintext("AUTH")).isFalse();
    }
  }

  @Test
  void aTrustedCertificateIsVerifiedAndTurningVerificationOffIsDiscouraged() {
    Authority ca = TestCertificates.authority("Mailroom Test CA");
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(ca.issue("localhost", "127.0.0.1")).start()) {
      DiagnosticOptions trusting = OPTIONS.toBuilder().trustStore(ca.trustStore()).build();

      DiagnosticReport verified = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).build(), trusting);
      assertThat(verified.ok()).as(verified.toText()).isTrue();
      assertThat(verified.certificate().orElseThrow().verified()).isTrue();
      assertThat(verified.certificate().get().issuer()).contains("CN=Mailroom Test CA");
      assertThat(verified.warnings()).isEmpty();

      DiagnosticReport off = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
          .build(), trusting);
      assertThat(off.ok()).isTrue();
      assertThat(off.warnings()).extracting(DiagnosticWarning::code).containsExactly(DiagnosticWarning.VERIFY_OFF);
      assertThat(off.warnings().get(0).message()).isEqualTo("\"Do not verify TLS certificate\" is ticked, but the"
          + " certificate of 127.0.0.1 is valid. Untick it so that the connection is protected.");
    }
  }

  @Test
  void aCertificateForAnotherHostNamesThatHost() {
    Authority ca = TestCertificates.authority("Mailroom Test CA");
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(ca.issue("mail.other.test")).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.IMPLICIT).build(),
          OPTIONS.toBuilder().trustStore(ca.trustStore()).build());

      assertThat(statuses(r)).startsWith("resolve OK, connect OK, tls FAILED, greeting SKIPPED");
      Failure f = r.failure().orElseThrow();
      assertThat(f.category()).isEqualTo(FailureCategory.TLS);
      assertThat(f.hintKey()).isEqualTo("hint.tls.hostname-mismatch");
      assertThat(f.message()).isEqualTo("The certificate of 127.0.0.1:" + s.port()
          + " is for mail.other.test, not for 127.0.0.1");
      assertThat(f.hint(Locale.ENGLISH)).isEqualTo("The certificate of the server is for mail.other.test, not for"
          + " 127.0.0.1. Use the server name the certificate was issued for.");
      assertThat(r.certificate().orElseThrow().subjectAlternativeNames()).containsExactly("mail.other.test");
      assertThat(r.step(DiagnosticStep.PROBE)).isEmpty();
    }
  }

  @Test
  void anExpiredCertificateSaysWhen() {
    Authority ca = TestCertificates.authority("Mailroom Test CA");
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(ca.issueExpired("127.0.0.1")).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.IMPLICIT).build(),
          OPTIONS.toBuilder().trustStore(ca.trustStore()).build());

      Failure f = r.failure().orElseThrow();
      assertThat(f.hintKey()).isEqualTo("hint.tls.expired");
      String date = dev.mailroom.internal.NetworkFailures.date(java.util.Date.from(
          r.certificate().orElseThrow().notAfter()));
      assertThat(f.hint(Locale.ENGLISH)).isEqualTo("The certificate of 127.0.0.1 has expired (" + date
          + "). Ask the server's administrator to renew it.");
    }
  }

  @Test
  void anAntivirusReSigningTlsIsNamed() {
    Authority avast = TestCertificates.authority("Avast Web/Mail Shield Root");
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().implicitTls(avast.issue("127.0.0.1")).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.IMPLICIT).build(), OPTIONS);

      Failure f = r.failure().orElseThrow();
      assertThat(f.category()).isEqualTo(FailureCategory.TLS);
      assertThat(f.hintKey()).isEqualTo("hint.tls.intercepted");
      assertThat(f.hint(Locale.ENGLISH)).startsWith("The certificate of 127.0.0.1 was issued by Avast, an"
          + " antivirus or proxy that intercepts encrypted connections.");
      assertThat(r.certificate().orElseThrow().interceptedBy()).hasValue("Avast");
      assertThat(r.warnings()).extracting(DiagnosticWarning::code).contains(DiagnosticWarning.TLS_INTERCEPTED);
      assertThat(r.toText(Locale.ENGLISH)).contains("The issuer looks like Avast intercepting encrypted"
          + " connections");
    }
  }

  @Test
  void warnsWhenTheServerOffersStarttlsButTheSettingsDoNotUseIt() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned()).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.NONE).build(), OPTIONS);

      assertThat(r.ok()).isTrue();
      assertThat(r.warnings()).extracting(DiagnosticWarning::code)
          .containsExactly(DiagnosticWarning.STARTTLS_AVAILABLE);
    }
  }

  @Test
  void aServerThatRequiresStarttlsBeforeLogin() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().requireTls(), TlsMode.NONE, OPTIONS);

    Failure f = r.failure().orElseThrow();
    assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.AUTH);
    assertThat(f.category()).isEqualTo(FailureCategory.TLS);
    assertThat(f.hintKey()).isEqualTo("hint.tls.starttls-missing");
  }

  // ---- signing in

  @Test
  void signsInWithLoginWhenThatIsAllTheServerOffers() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().extensions("AUTH LOGIN")
        .credentials("billing@acme.test", "secret-password").start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.NONE).build(), OPTIONS);

      assertThat(r.ok()).as(r.toText()).isTrue();
      assertThat(r.step(DiagnosticStep.AUTH).orElseThrow().detail()).isEqualTo("Signed in as billing@acme.test"
          + " (LOGIN)");
      assertThat(r.transcript()).containsSubsequence("-> AUTH LOGIN", "<- 334 VXNlcm5hbWU6", "-> ******",
          "<- 334 UGFzc3dvcmQ6", "-> ******", "<- 235 2.7.0 Authentication successful");
    }
  }

  @Test
  void aServerWithoutSignInFailsAtAuth() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().extensions("SIZE 1000000"), TlsMode.NONE, OPTIONS);

    Failure f = r.failure().orElseThrow();
    assertThat(f.hintKey()).isEqualTo("hint.auth.not-supported");
    assertThat(r.warnings()).extracting(DiagnosticWarning::code).contains(DiagnosticWarning.NO_AUTH_OFFERED);
  }

  @Test
  void personasGiveTheProvidersHints() {
    for (ProviderPersona p : List.of(ProviderPersona.GMAIL_BAD_CREDENTIALS,
        ProviderPersona.GMAIL_APP_PASSWORD_REQUIRED, ProviderPersona.MICROSOFT_365_SMTP_AUTH_DISABLED,
        ProviderPersona.MICROSOFT_365_BASIC_AUTH_RETIRED, ProviderPersona.MICROSOFT_365_BAD_CREDENTIALS,
        ProviderPersona.YAHOO_TOO_MANY_BAD_ATTEMPTS)) {
      try (FaultySmtpServer server = FaultySmtpServer.builder().persona(p).build().start()) {
        DiagnosticReport r = ConnectionDiagnostics.run(server.settings(), OPTIONS);
        Failure f = r.failure().orElseThrow();
        assertThat(r.failedStep().orElseThrow().name()).as(p.name()).isEqualTo(DiagnosticStep.AUTH);
        assertThat(f.category()).as(p.name()).isEqualTo(FailureCategory.AUTHENTICATION);
        assertThat(f.hintKey()).as(p.name()).isEqualTo(switch (p) {
          case GMAIL_BAD_CREDENTIALS -> "hint.auth.gmail-bad-credentials";
          case GMAIL_APP_PASSWORD_REQUIRED -> "hint.auth.gmail-app-password-required";
          case MICROSOFT_365_SMTP_AUTH_DISABLED -> "hint.auth.m365-smtp-auth-disabled";
          case MICROSOFT_365_BASIC_AUTH_RETIRED -> "hint.auth.m365-basic-auth-retired";
          case MICROSOFT_365_BAD_CREDENTIALS -> "hint.auth.m365-bad-credentials";
          default -> "hint.auth.yahoo";
        });
        assertThat(r.provider().orElseThrow().displayName()).as(p.name())
            .isIn("Gmail", "Microsoft 365 (Office 365)", "Yahoo Mail");
      }
    }
  }

  @Test
  void gmailsRefusalIsQuotedAndExplained() {
    try (FaultySmtpServer gmail = FaultySmtpServer.builder().persona(ProviderPersona.GMAIL_BAD_CREDENTIALS).build()
        .start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(gmail.settings(), OPTIONS);

      String text = r.toText(Locale.ENGLISH);
      assertThat(text).contains("Provider: Gmail (recognized from the greeting of 127.0.0.1)");
      assertThat(text).contains("The test failed at: Sign in (AUTH)\n"
          + "The server rejected the login\n"
          + "Gmail rejected the login. Use your full Gmail address as the username and an app password as the"
          + " password: turn on 2-Step Verification, then create an app password (Google Account → Security →"
          + " App passwords).\n"
          + "The server responded: 535 5.7.8 Username and Password not accepted. For more information, go to"
          + " https://support.google.com/mail/?p=BadCredentials d9443c01a7336-21f0b2d6c1asm7712345ad.12 - gsmtp\n");
      assertThat(text).contains("  2. Verify that your username and password are correct (some providers require"
          + " app-specific passwords).");
      String bengali = r.toText(Locale.forLanguageTag("bn"));
      assertThat(bengali).contains("Gmail লগইন প্রত্যাখ্যান করেছে");
    }
  }

  // ---- the test email

  @Test
  void aRejectedRecipientIsNamed() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.RCPT,
        Action.reply("550 5.1.1 <jane@customer.test>: Recipient address rejected: User unknown")), TlsMode.NONE, SEND);

    Failure f = r.failure().orElseThrow();
    assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.SEND);
    assertThat(f.category()).isEqualTo(FailureCategory.RECIPIENT_REJECTED);
    assertThat(f.hint(Locale.ENGLISH)).isEqualTo("The server refused the recipient jane@customer.test. Check the"
        + " address. The server responded: 550 5.1.1 <jane@customer.test>: Recipient address rejected: User"
        + " unknown");
    assertThat(r.troubleshooting(Locale.ENGLISH)).isEmpty();
  }

  @Test
  void aMessageTooLarge() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.MESSAGE,
        Action.reply("552 5.3.4 Message size exceeds fixed maximum message size")), TlsMode.NONE, SEND);

    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(f.hintKey()).isEqualTo("hint.message.too-large");
  }

  @Test
  void sendAsDeniedAndRateLimits() {
    DiagnosticReport sendAs = run(ScriptedSmtpServer.builder().on(Step.MESSAGE,
        Action.reply(ProviderPersona.MICROSOFT_365_SEND_AS_DENIED.reply().toArray(String[]::new))), TlsMode.NONE,
        SEND);
    assertThat(sendAs.failure().orElseThrow().category()).isEqualTo(FailureCategory.SENDER_REJECTED);
    assertThat(sendAs.failure().get().hintKey()).isEqualTo("hint.sender.send-as-denied");

    DiagnosticReport limited = run(ScriptedSmtpServer.builder().on(Step.MAIL,
        Action.reply("421 4.7.0 Try again later, closing connection").then(Action.drop())), TlsMode.NONE, SEND);
    assertThat(limited.failure().orElseThrow().category()).isEqualTo(FailureCategory.RATE_LIMITED);
    assertThat(limited.failure().get().isTransient()).isTrue();

    DiagnosticReport greylisted = run(ScriptedSmtpServer.builder().on(Step.RCPT,
        Action.reply("450 4.2.1 The user you are trying to contact is receiving mail too quickly")), TlsMode.NONE,
        SEND);
    assertThat(greylisted.failure().orElseThrow().category()).isEqualTo(FailureCategory.RATE_LIMITED);
  }

  @Test
  void aConnectionLostAfterTheFinalDotLeavesTheOutcomeUnknown() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.MESSAGE, Action.drop()), TlsMode.NONE, SEND);

    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    assertThat(f.isTransient()).isFalse();
    assertThat(f.hintKey()).isEqualTo("hint.outcome-unknown");
  }

  @Test
  void sendsTheTestMessageThroughTheScriptedServer() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.NONE).senderName("Acme Ltd – Büro")
          .build(), SEND.toBuilder().locale(Locale.forLanguageTag("bn")).build());

      assertThat(r.ok()).as(r.toText()).isTrue();
      assertThat(s.messages()).hasSize(1);
      ScriptedSmtpServer.ReceivedMessage m = s.messages().get(0);
      assertThat(m.recipients()).containsExactly("jane@customer.test");
      assertThat(m.text()).contains("Subject: =?UTF-8?B?", "From: =?UTF-8?B?", "<billing@acme.test>");
      assertThat(m.text()).doesNotContain("\r\n.\r\n");
    }
  }

  // ---- hostile servers

  @Test
  void anOverlongReplyLineFailsClosed() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.EHLO,
        Action.raw("250-" + "x".repeat(10_000) + "\r\n250 OK\r\n")), TlsMode.NONE, OPTIONS);

    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.PROTOCOL);
    assertThat(f.message()).contains("a line longer than 4096 bytes");
  }

  @Test
  void aSlowlorisServerFailsWithinTheReadTimeout() {
    DiagnosticReport r;
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().on(Step.EHLO, Action.slowly(Duration.ofMillis(150),
        "250-scripted.test", "250-AUTH PLAIN", "250 SIZE 1000")).start()) {
      r = ConnectionDiagnostics.run(timingOut(settings(s, TlsMode.NONE)).build(), OPTIONS);
    }

    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.TIMEOUT);
    assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.EHLO);
    assertThat(r.step(DiagnosticStep.EHLO).orElseThrow().duration()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void garbageInsteadOfAReply() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.GREETING, Action.raw("HTTP/1.1 400 Bad Request\r\n")),
        TlsMode.NONE, OPTIONS);

    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.PROTOCOL);
    // an HTTP server where a mail server was expected: described by what it is not, never quoted (issue 10)
    assertThat(r.failure().get().hintKey()).isEqualTo("hint.protocol.not-mail-server");
    assertThat(r.toText() + r.toJson()).doesNotContain("Bad Request");
  }

  @Test
  void wrongPasswordAgainstTheScriptedServer() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().credentials("billing@acme.test", "right").start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.NONE).password(Secret.of("wrong")).build(),
          OPTIONS);
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.auth.bad-credentials");
    }
  }

  @Test
  void anSslClientOnAStarttlsPortIsToldToChooseStarttls() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned()).start()) {
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.IMPLICIT).verifyTlsCertificate(false)
          .build(), OPTIONS);

      assertThat(statuses(r)).startsWith("resolve OK, connect OK, tls FAILED, probe OK, greeting SKIPPED");
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.tls.tls-on-plain-port");
      assertThat(r.step(DiagnosticStep.PROBE).orElseThrow().detail())
          .isEqualTo("Port " + s.port() + " speaks plain SMTP and offers STARTTLS");
      assertThat(r.suggestion(Locale.ENGLISH)).hasValue("Choose STARTTLS for port " + s.port()
          + " on 127.0.0.1, or use port 465 with SSL/TLS.");
      EmailSettings fixed = r.suggestedSettings().orElseThrow();
      assertThat(fixed.tlsMode()).isEqualTo(TlsMode.STARTTLS);
      assertThat(ConnectionDiagnostics.run(fixed, OPTIONS).ok()).isTrue();
      assertThat(s.receivedInPlaintext("AUTH")).isFalse();
    }
  }
}
