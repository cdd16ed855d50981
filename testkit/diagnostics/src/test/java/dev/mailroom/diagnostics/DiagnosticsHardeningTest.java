package dev.mailroom.diagnostics;

import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.TestCertificates;

import static dev.mailroom.diagnostics.SmtpFailureDiagnosticsTest.OPTIONS;
import static dev.mailroom.diagnostics.SmtpFailureDiagnosticsTest.SEND;
import static dev.mailroom.diagnostics.SmtpFailureDiagnosticsTest.settings;
import static dev.mailroom.diagnostics.SmtpFailureDiagnosticsTest.statuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.Canary;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.Session;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates.Authority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The diagnostics ("Test email settings") against hostile and broken servers: they fail closed, within the
 * read timeout and bounded memory, never send AUTH or MAIL in plain text when STARTTLS is chosen, take
 * capabilities only from the EHLO after TLS, and classify each failure like the sender.
 */
@Timeout(60)
class DiagnosticsHardeningTest {
  static final List<String> ALLOWED_BEFORE_TLS = List.of("EHLO", "HELO", "STARTTLS", "QUIT", "NOOP", "RSET");

  static DiagnosticReport run(ScriptedSmtpServer.Builder b, TlsMode mode, DiagnosticOptions options) {
    try (ScriptedSmtpServer s = b.start()) {
      return ConnectionDiagnostics.run(settings(s, mode).verifyTlsCertificate(mode == TlsMode.NONE).build(),
          options);
    }
  }

  /** Proof from the raw bytes the server received before TLS: only allowed commands, no password. */
  static void assertOnlyAllowedCommandsInPlaintext(ScriptedSmtpServer server) {
    assertThat(server.sessions()).isNotEmpty();
    for (Session session : server.sessions()) {
      String plain = new String(session.plaintext(), StandardCharsets.ISO_8859_1);
      for (String line : plain.split("\\r\\n|\\n", -1)) {
        if (!line.isEmpty()) {
          assertThat(line.split(" ", 2)[0].toUpperCase(Locale.ROOT)).as(line).isIn(ALLOWED_BEFORE_TLS);
        }
      }
      assertThat(plain).doesNotContain("AUTH").doesNotContain("MAIL");
      Canary.assertAbsent(plain, "secret-password");
    }
  }

  // ---- hostile servers

  @ParameterizedTest
  @ValueSource(strings = {"220 hello\r250 more\r", "220 hel\0lo\r\n", "2x0 hello\r\n", "220 hi\r250-forged\r\n"})
  void malformedGreetingsFailClosedAsAProtocolViolation(String greeting) {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.GREETING, Action.raw(greeting)), TlsMode.NONE,
        OPTIONS);
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.PROTOCOL);
    assertThat(r.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.GREETING);
    assertThat(r.transcript()).noneMatch(l -> l.contains("\r") || l.contains("\0"));
  }

  @Test
  void endlessContinuationLinesFailClosed() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.EHLO,
        Action.raw("250-PIPELINING\r\n".repeat(100_000))), TlsMode.NONE, OPTIONS);
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.PROTOCOL);
    assertThat(f.message()).contains("more than 200 lines");
    // the transcript is bounded too
    assertThat(r.transcript().size()).isLessThan(2100);
  }

  @Test
  void aBareCrArrivingByteByByteFailsClosed() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.GREETING,
        Action.slowly(Duration.ofMillis(2), "220 hi\r250-forged")), TlsMode.NONE, OPTIONS);
    assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.PROTOCOL);
  }

  @Test
  void greeting421IsRateLimitedAndTransient() {
    DiagnosticReport r = run(ScriptedSmtpServer.builder().on(Step.GREETING,
        Action.reply("421 4.7.0 Too many connections").then(Action.drop())), TlsMode.NONE, OPTIONS);
    Failure f = r.failure().orElseThrow();
    assertThat(f.category()).isEqualTo(FailureCategory.RATE_LIMITED);
    assertThat(f.isTransient()).isTrue();
    assertThat(f.code()).hasValue(421);
  }

  // ---- STARTTLS stripping and downgrade

  @Test
  void everyStarttlsDowngradeFailsBeforeAnyAuthOrMail() {
    List<ScriptedSmtpServer.Builder> servers = List.of(
        ScriptedSmtpServer.builder(),
        ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
            .on(Step.STARTTLS, Action.reply("454 4.7.0 TLS not available")),
        ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
            .on(Step.STARTTLS, Action.reply("502 5.5.1 Not implemented")),
        ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned()).on(Step.STARTTLS, Action.raw("OK go\r\n")),
        ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
            .on(Step.STARTTLS, Action.reply("250 2.0.0 Ok")),
        ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
            .on(Step.EHLO, Action.reply("502 5.5.2 Error: command not recognized")),
        ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
            .on(Step.STARTTLS, Action.reply("220 2.0.0 Go ahead").then(Action.reset())));
    List<String> outcomes = new ArrayList<>();
    for (ScriptedSmtpServer.Builder b : servers) {
      try (ScriptedSmtpServer s = b.start()) {
        DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
            .build(), SEND);
        Failure f = r.failure().orElseThrow();
        outcomes.add(r.failedStep().orElseThrow().name() + " " + f.category() + " " + f.hintKey());
        assertThat(r.step(DiagnosticStep.AUTH).orElseThrow().status()).isEqualTo(DiagnosticStep.Status.SKIPPED);
        assertOnlyAllowedCommandsInPlaintext(s);
        assertThat(s.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH", "MAIL");
        assertThat(s.messages()).isEmpty();
      }
    }
    assertThat(outcomes).containsExactly(
        "starttls TLS hint.tls.starttls-missing",
        "starttls TLS hint.tls.starttls-refused",
        "starttls TLS hint.tls.starttls-refused",
        "starttls PROTOCOL hint.protocol.invalid-reply",
        "starttls TLS hint.tls.starttls-refused",
        "starttls TLS hint.tls.starttls-missing",
        "starttls CONNECTION hint.connection.lost");
  }

  @Test
  void capabilitiesComeOnlyFromTheEhloAfterTls() {
    try (ScriptedSmtpServer s = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned()).start()) {
      s.onNext(Step.EHLO, Action.reply("250-scripted.test", "250-STARTTLS", "250 AUTH PLAIN LOGIN"));
      s.onNext(Step.EHLO, Action.reply("250-scripted.test", "250 SIZE 1000"));
      DiagnosticReport r = ConnectionDiagnostics.run(settings(s, TlsMode.STARTTLS).verifyTlsCertificate(false)
          .build(), OPTIONS);
      assertThat(statuses(r)).contains("starttls OK, ehlo-tls OK, auth FAILED");
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.auth.not-supported");
      assertThat(s.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH");
      assertOnlyAllowedCommandsInPlaintext(s);
    }
  }

  // ---- connections lost during the test email

  @Test
  void aConnectionClosedAfterRcptOrDuringDataIsReportedAsSuch() {
    DiagnosticReport afterRcpt = run(ScriptedSmtpServer.builder().on(Step.RCPT,
        Action.reply("250 2.1.5 Ok").then(Action.drop())), TlsMode.NONE, SEND);
    assertThat(afterRcpt.failure().orElseThrow().category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(afterRcpt.failure().get().isTransient()).isTrue();
    assertThat(afterRcpt.failedStep().orElseThrow().name()).isEqualTo(DiagnosticStep.SEND);

    DiagnosticReport duringData = run(ScriptedSmtpServer.builder().on(Step.DATA,
        Action.reply("354 go ahead").then(Action.drop())), TlsMode.NONE, SEND);
    // the small test message is handed over before the client can see the close: it cannot tell
    assertThat(duringData.failure().orElseThrow().category()).isIn(FailureCategory.CONNECTION,
        FailureCategory.OUTCOME_UNKNOWN);
  }

  // ---- certificates

  @Test
  void certificatesThatCannotBeTrustedFailByDefault() {
    Authority unknown = TestCertificates.authority("Unknown Test CA");
    Authority trusted = TestCertificates.authority("Trusted Test CA");
    DiagnosticOptions trusting = OPTIONS.toBuilder().trustStore(trusted.trustStore()).build();
    record Case(TestCertificates.ServerCertificate cert, String hint) {}
    for (Case c : List.of(new Case(TestCertificates.selfSigned(), "hint.tls.self-signed"),
        new Case(unknown.issue("127.0.0.1"), "hint.tls.untrusted"),
        new Case(trusted.issue("mail.other.test"), "hint.tls.hostname-mismatch"),
        new Case(trusted.issueExpired("127.0.0.1"), "hint.tls.expired"))) {
      for (TlsMode mode : List.of(TlsMode.IMPLICIT, TlsMode.STARTTLS)) {
        ScriptedSmtpServer.Builder b = mode == TlsMode.IMPLICIT ? ScriptedSmtpServer.builder().implicitTls(c.cert())
            : ScriptedSmtpServer.builder().starttls(c.cert());
        try (ScriptedSmtpServer s = b.start()) {
          DiagnosticReport r = ConnectionDiagnostics.run(settings(s, mode).build(),
              trusting.toBuilder().probe(false).build());
          Failure f = r.failure().orElseThrow();
          assertThat(f.category()).as(c.hint() + " " + mode).isEqualTo(FailureCategory.TLS);
          assertThat(f.hintKey()).as(c.hint() + " " + mode).isEqualTo(c.hint());
          assertThat(s.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH", "MAIL");
        }
      }
    }
  }
}
