package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import dev.mailroom.testkit.ScriptedSmtpServer.Session;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.TestCertificates;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connection on which something went wrong is closed and never carries another message: after each
 * failure the same {@link Mailer} sends the next message over a new connection.
 */
@Timeout(60)
class SmtpConnectionDiscardTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("greeting 421", Step.GREETING, Action.reply("421 4.7.0 Too busy").then(Action.drop()),
            FailureCategory.RATE_LIMITED, true, false),
        Arguments.of("greeting 554", Step.GREETING, Action.reply("554 5.7.1 Go away"),
            FailureCategory.CONNECTION, false, false),
        Arguments.of("reset during the TLS handshake", Step.STARTTLS,
            Action.reply("220 2.0.0 Go ahead").then(Action.reset()), FailureCategory.CONNECTION, true, true),
        Arguments.of("421 at MAIL", Step.MAIL, Action.reply("421 4.3.2 Shutting down").then(Action.drop()),
            FailureCategory.RATE_LIMITED, true, false),
        Arguments.of("closed after RCPT", Step.RCPT, Action.reply("250 2.1.5 Ok").then(Action.drop()),
            FailureCategory.CONNECTION, true, false),
        Arguments.of("closed during DATA", Step.DATA, Action.reply("354 go ahead").then(Action.drop()),
            FailureCategory.CONNECTION, true, false),
        Arguments.of("closed after the final dot", Step.MESSAGE, Action.drop(), FailureCategory.OUTCOME_UNKNOWN,
            false, false),
        Arguments.of("unsafe reply at MAIL", Step.MAIL, Action.raw("250 2.1.0 O\0k\r\n"),
            FailureCategory.PROTOCOL, false, false),
        Arguments.of("reset at RCPT", Step.RCPT, Action.reset(), FailureCategory.CONNECTION, true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void theNextSendOpensANewConnection(String name, Step step, Action action, FailureCategory category,
      boolean transientFailure, boolean tls) throws Exception {
    ScriptedSmtpServer.Builder b = ScriptedSmtpServer.builder();
    if (tls) {
      b.starttls(TestCertificates.selfSigned());
    }
    try (ScriptedSmtpServer server = b.start()) {
      server.onNext(step, action);
      EmailSettings.Builder s = settings(server);
      if (tls) {
        s.tlsMode(TlsMode.STARTTLS).verifyTlsCertificate(false);
      }
      // big enough that the client is still writing when the server drops during DATA
      Email first = step == Step.DATA ? Email.builder().to("customer@example.com").subject("big").text("x")
          .attach(Attachment.ofStream("big.bin", "application/octet-stream",
              () -> SmtpReplyFailureTest.zeros(8 << 20))).build() : Faults.email();
      try (Mailer mailer = Mailer.open(s.build(), MailerOptions.builder().maxAttempts(1).build())) {
        SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(first));
        assertThat(e).as(name).isNotNull();
        assertThat(e.category()).as(name).isEqualTo(category);
        assertThat(e.isTransient()).as(name).isEqualTo(transientFailure);

        SendReceipt r = mailer.send(Faults.email());
        assertThat(r.attempts()).isEqualTo(1);
      }
      assertThat(server.sessions()).as(name).hasSize(2);
      Session firstSession = server.sessions().get(0);
      awaitClosed(firstSession);
      assertThat(firstSession.closed()).as(name + ": the failed connection was closed").isTrue();
      assertThat(server.messages()).filteredOn(ReceivedMessage::acknowledged)
          .extracting(ReceivedMessage::session).containsExactly(1);
    }
  }

  private static void awaitClosed(Session s) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!s.closed() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }
}
