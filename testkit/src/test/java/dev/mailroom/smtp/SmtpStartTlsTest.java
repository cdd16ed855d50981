package dev.mailroom.smtp;

import static dev.mailroom.smtp.Faults.fail;
import static dev.mailroom.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testing.LogCapture;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedCommand;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** STARTTLS is required when chosen: no AUTH or MAIL byte ever leaves in plain text. */
@Timeout(30)
class SmtpStartTlsTest {
  private static EmailSettings starttls(ScriptedSmtpServer server) {
    return settings(server).tlsMode(TlsMode.STARTTLS).verifyTlsCertificate(false)
        .username("billing@acme.example").password("s3cret").build();
  }

  private static void assertNothingSensitiveInPlaintext(ScriptedSmtpServer server) {
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
  void serverDemandingStartTlsWhileTlsModeIsNoneGetsATlsHint() {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.builder().requireTls().start()) {
      SendException e = fail(settings(server).build());
      assertThat(e.category()).isEqualTo(FailureCategory.TLS);
      assertThat(e.failure().hintKey()).isEqualTo("hint.tls.starttls-missing");
      assertThat(e.failure().code()).hasValue(530);
    }
  }
}
