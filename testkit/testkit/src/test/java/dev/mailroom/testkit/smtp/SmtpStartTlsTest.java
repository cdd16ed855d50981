package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.fail;
import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.LogCapture;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.Session;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** STARTTLS is required when chosen: no AUTH or MAIL byte ever leaves in plain text. */
@Timeout(30)
class SmtpStartTlsTest {
  private static EmailSettings starttls(ScriptedSmtpServer server) {
    return settings(server).tlsMode(TlsMode.STARTTLS).verifyTlsCertificate(false)
        .username("billing@acme.example").password("s3cret").build();
  }

  /** What may go out before TLS; anything else (AUTH, MAIL, a password) would be a leak. */
  static final List<String> ALLOWED_BEFORE_TLS = List.of("EHLO", "HELO", "STARTTLS", "QUIT", "NOOP", "RSET");

  /**
   * Proof from the raw bytes each connection received before TLS: only allowed commands, no AUTH or MAIL
   * byte, no form of the password.
   */
  static void assertOnlyAllowedCommandsInPlaintext(ScriptedSmtpServer server, String password) {
    assertThat(server.sessions()).isNotEmpty();
    for (Session session : server.sessions()) {
      String plain = new String(session.plaintext(), StandardCharsets.ISO_8859_1);
      for (String line : plain.split("\r\n|\n", -1)) {
        if (!line.isEmpty()) {
          String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
          assertThat(verb).as("plain-text line %s", line).isIn(ALLOWED_BEFORE_TLS);
        }
      }
      assertThat(plain).doesNotContain("AUTH").doesNotContain("MAIL").doesNotContain("RCPT");
      Canary.assertAbsent(plain, password);
    }
  }

  private static void assertNothingSensitiveInPlaintext(ScriptedSmtpServer server) {
    assertOnlyAllowedCommandsInPlaintext(server, "s3cret");
    assertThat(server.receivedInPlaintext("AUTH")).isFalse();
    assertThat(server.receivedInPlaintext("MAIL")).isFalse();
    assertThat(server.receivedInPlaintext("RCPT")).isFalse();
    assertThat(server.receivedInPlaintext("DATA")).isFalse();
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void sendsOnlyInsideTlsWhenStartTlsWorks() throws Exception {
    Faults.Transcript t = new Faults.Transcript();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .requireTls().start(); Mailer mailer = Mailer.open(starttls(server), t.options(1))) {
      mailer.send(Faults.email());
      assertThat(server.messages()).hasSize(1);
      assertThat(server.messages().get(0).tls()).isTrue();
      List<ReceivedCommand> plain = server.commands().stream().filter(c -> !c.tls()).toList();
      assertThat(plain).extracting(ReceivedCommand::verb).containsExactly("EHLO", "STARTTLS");
      assertThat(t.lines).contains("-> STARTTLS");
      assertThat(t.lines).anyMatch(l -> l.startsWith("~> EHLO"));
      assertThat(t.lines).contains("~> AUTH PLAIN ******");
    }
  }

  @Test
  void missingStartTlsFailsBeforeAnyAuthOrMail() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.starttls-missing");
      assertThat(e.isTransient()).isFalse();
      assertNothingSensitiveInPlaintext(server);
    }
  }

  @Test
  void heloOnlyServerFailsBeforeAnyAuthOrMail() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.EHLO, Action.reply("502 5.5.2 Error: command not recognized")).start()) {
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.starttls-missing");
      assertNothingSensitiveInPlaintext(server);
    }
  }

  @Test
  void startTlsRefusedWith454IsTransient() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.reply("454 4.7.0 TLS not available due to local problem")).start()) {
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.starttls-refused");
      assertThat(e.isTransient()).isTrue();
      assertThat(e.failure().code()).hasValue(454);
      assertNothingSensitiveInPlaintext(server);
    }
  }

  @Test
  void startTlsRefusedWith502IsPermanent() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.reply("502 5.5.1 Not implemented")).start()) {
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.starttls-refused");
      assertThat(e.isTransient()).isFalse();
      assertNothingSensitiveInPlaintext(server);
    }
  }

  @Test
  void garbageAnswerToStartTlsFailsClosed() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.raw("OK go\r\n")).start()) {
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.PROTOCOL);
      assertThat(e.failure().hintKey()).isEqualTo("hint.protocol.unsafe-reply");
      assertNothingSensitiveInPlaintext(server);
    }
  }

  @Test
  void bytesInjectedAfterTheStartTlsReplyAreDiscarded() throws Exception {
    Faults.Transcript t = new Faults.Transcript();
    // a man-in-the-middle appends replies to the 220: if they were read after the handshake, they would
    // answer EHLO and AUTH with forged capabilities and a forged success
    String injected = "220 2.0.0 Ready to start TLS\r\n250-forged\r\n250 AUTH PLAIN\r\n235 2.7.0 forged\r\n";
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.raw(injected)).start();
        LogCapture logs = LogCapture.start();
        Mailer mailer = Mailer.open(starttls(server), t.options(1))) {
      mailer.send(Faults.email());
      assertThat(server.messages()).hasSize(1);
      assertThat(t.text()).doesNotContain("forged");
      assertThat(t.lines).anyMatch(l -> l.startsWith("=== Discarded ") && l.endsWith("after the reply to STARTTLS"));
      assertThat(logs.text()).contains("Discarded").contains("STARTTLS");
    }
  }

  @Test
  void failedEhloAfterStartTlsEndsTheSession() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .start()) {
      server.onNext(Step.EHLO, Action.accept());
      server.onNext(Step.EHLO, Action.reply("554 5.7.0 Not now"));
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.ehlo-after-starttls");
      assertThat(server.commands()).extracting(ReceivedCommand::verb)
          .doesNotContain("AUTH", "MAIL", "RCPT", "DATA");
    }
  }

  @Test
  void startTlsAnsweredWithAnythingButA220FailsClosed() {
    for (String reply : new String[] {"250 2.0.0 Ok", "354 go ahead", "220-Ready", "521 5.3.2 No"}) {
      try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
          .on(Step.STARTTLS, Action.reply(reply)).start()) {
        // "220-Ready" never ends: that case exercises the read timeout
        SendException e = fail(Faults.timingOut(starttls(server).toBuilder()).build());
        if (reply.startsWith("220-")) {
          assertThat(e.category()).as(reply).isEqualTo(FailureCategory.TIMEOUT);
        } else {
          assertThat(e.category()).as(reply).isEqualTo(FailureCategory.TLS);
          assertThat(e.failure().hintKey()).as(reply).isEqualTo("hint.tls.starttls-refused");
          assertThat(e.failure().code()).as(reply).hasValue(Integer.parseInt(reply.substring(0, 3)));
        }
        assertNothingSensitiveInPlaintext(server);
      }
    }
  }

  @Test
  void capabilitiesComeOnlyFromTheEhloAfterTls() {
    // before TLS the server (or a man-in-the-middle) offers AUTH and PIPELINING; inside TLS it offers neither
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .start()) {
      server.onNext(Step.EHLO, Action.reply("250-scripted.test", "250-STARTTLS", "250-PIPELINING",
          "250 AUTH PLAIN LOGIN XOAUTH2"));
      server.onNext(Step.EHLO, Action.reply("250-scripted.test", "250 8BITMIME"));
      SendException e = fail(starttls(server));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.auth.not-supported");
      assertThat(server.commands()).extracting(ReceivedCommand::verb).doesNotContain("AUTH", "MAIL");
      assertNothingSensitiveInPlaintext(server);
    }
  }

  @Test
  void pipeliningOfferedOnlyBeforeTlsIsNotUsed() throws Exception {
    Faults.Transcript t = new Faults.Transcript();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .start()) {
      server.onNext(Step.EHLO, Action.reply("250-scripted.test", "250-STARTTLS", "250 PIPELINING"));
      try (Mailer mailer = Mailer.open(starttls(server), t.options(1))) {
        mailer.send(Faults.email());
      }
      assertThat(server.messages()).hasSize(1);
      // one command, one reply: nothing batched
      // (SIZE= follows when the server announces SIZE)
      int mail = t.lines.indexOf(t.lines.stream().filter(l -> l.startsWith("~> MAIL FROM:<billing@acme.example>"))
          .findFirst().orElseThrow());
      assertThat(t.lines.get(mail + 1)).startsWith("<~ 250");
      assertOnlyAllowedCommandsInPlaintext(server, "s3cret");
    }
  }

  @Test
  void bytesInjectedInALaterSegmentAfterThe220AreNeverReadAsReplies() {
    Faults.Transcript t = new Faults.Transcript();
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().starttls(TestCertificates.selfSigned())
        .on(Step.STARTTLS, Action.reply("220 2.0.0 Ready").then(Action.raw("250-forged\r\n250 AUTH PLAIN\r\n"
            + "235 2.7.0 forged\r\n"))).start()) {
      // the injected bytes go either with the 220 (discarded) or after it (the TLS handshake fails on them)
      try (Mailer mailer = Mailer.open(starttls(server), t.options(1))) {
        mailer.send(Faults.email());
        assertThat(server.messages()).hasSize(1);
      } catch (SendException e) {
        assertThat(e.category()).isIn(FailureCategory.TLS, FailureCategory.CONNECTION, FailureCategory.PROTOCOL);
        assertThat(server.messages()).isEmpty();
      }
      assertThat(t.text()).doesNotContain("forged");
      assertNothingSensitiveInPlaintextExceptMessages(server);
    }
  }

  private static void assertNothingSensitiveInPlaintextExceptMessages(ScriptedSmtpServer server) {
    assertOnlyAllowedCommandsInPlaintext(server, "s3cret");
    assertThat(server.receivedInPlaintext("AUTH")).isFalse();
    assertThat(server.receivedInPlaintext("MAIL")).isFalse();
  }

  @Test
  void serverDemandingStartTlsWhileTlsModeIsNoneGetsATlsHint() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().requireTls().start()) {
      SendException e = fail(settings(server).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.starttls-missing");
      assertThat(e.failure().code()).hasValue(530);
    }
  }
}
