package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With PIPELINING offered, MAIL, RCPT and DATA go out together; failures mean the same as without. */
@Timeout(30)
class SmtpPipeliningTest {
  private ScriptedSmtpServer server;
  private final Faults.Transcript transcript = new Faults.Transcript();

  @BeforeEach
  void start() {
    server = ScriptedSmtpServer.builder().extensions("PIPELINING", "AUTH PLAIN LOGIN", "SMTPUTF8",
        "ENHANCEDSTATUSCODES").start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Email twoRecipients() {
    return Email.builder().to("a@example.com", "b@example.com").subject("Invoice").text("Hello").build();
  }

  @Test
  void sendsTheEnvelopeInOneBatch() throws Exception {
    SendReceipt r;
    try (Mailer mailer = Mailer.open(settings(server).username("u@acme.example").password("pw").build(),
        transcript.options(1))) {
      r = mailer.send(twoRecipients());
      mailer.send(twoRecipients());
    }
    assertThat(r.acceptedRecipients()).containsExactly("a@example.com", "b@example.com");
    assertThat(r.serverReply()).hasValueSatisfying(s -> assertThat(s).startsWith("250 2.0.0 Ok"));
    List<String> lines = transcript.lines;
    int mail = lines.indexOf("-> MAIL FROM:<billing@acme.example>");
    assertThat(lines.subList(mail, mail + 7)).containsExactly("-> MAIL FROM:<billing@acme.example>",
        "-> RCPT TO:<a@example.com>", "-> RCPT TO:<b@example.com>", "-> DATA", "<- 250 2.1.0 Ok",
        "<- 250 2.1.5 Ok", "<- 250 2.1.5 Ok");
    assertThat(server.messages()).hasSize(2);
    ReceivedMessage m = server.messages().get(0);
    assertThat(m.recipients()).containsExactly("a@example.com", "b@example.com");
    assertThat(m.header("Subject")).hasValue("Invoice");
    assertThat(server.sessions()).hasSize(1);
  }

  @Test
  void aRefusedRecipientFailsTheSendAndKeepsTheConnection() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(), transcript.options(1))) {
      server.onNext(Step.RCPT, Action.accept());
      server.onNext(Step.RCPT, Action.reply("550 5.1.1 <b@example.com>: User unknown"));
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(twoRecipients()));
      assertThat(e.category()).isEqualTo(FailureCategory.RECIPIENT_REJECTED);
      assertThat(e.getMessage()).startsWith("The server refused the recipient b@example.com");
      assertThat(e.isTransient()).isFalse();
      mailer.send(twoRecipients());
    }
    // the server asked for the data of the failed transaction, but got none: the connection was given up
    assertThat(server.messages()).filteredOn(ReceivedMessage::acknowledged).hasSize(1);
    assertThat(server.sessions()).hasSize(2);
  }

  @Test
  void allRecipientsRefusedIsARecipientFailureNotADataFailure() {
    server.on(Step.RCPT, Action.reply("550 5.7.1 Relaying denied"));
    SendException e = Faults.fail(settings(server).build());
    assertThat(e.category()).isEqualTo(FailureCategory.RECIPIENT_REJECTED);
    assertThat(e.failure().code()).hasValue(550);
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void aRefusedSender() {
    server.on(Step.MAIL, Action.reply("550 5.7.60 SMTP; Client does not have permissions to send as this sender"));
    SendException e = Faults.fail(settings(server).build());
    assertThat(e.category()).isEqualTo(FailureCategory.SENDER_REJECTED);
    assertThat(e.failure().hintKey()).isEqualTo("hint.sender.send-as-denied");
  }

  @Test
  void aRefusedMessage() {
    server.on(Step.MESSAGE, Action.reply("552 5.3.4 Message too big"));
    SendException e = Faults.fail(settings(server).build());
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().hintKey()).isEqualTo("hint.message.too-large");
  }

  @Test
  void droppedAfterTheFinalDotIsOutcomeUnknown() {
    server.on(Step.MESSAGE, Action.drop());
    SendException e = Faults.fail(settings(server).build(), transcript.options(3));
    assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    assertThat(e.attempts()).isEqualTo(1);
  }

  @Test
  void aKeptConnectionClosedByTheServerIsReplacedTransparently() throws Exception {
    try (Mailer mailer = Mailer.open(settings(server).build(), transcript.options(1))) {
      mailer.send(twoRecipients());
      server.onNext(Step.MAIL, Action.reply("421 4.4.2 Timeout, closing").then(Action.drop()));
      assertThat(mailer.send(twoRecipients()).attempts()).isEqualTo(1);
      server.onNext(Step.MAIL, Action.drop());
      assertThat(mailer.send(twoRecipients()).attempts()).isEqualTo(1);
    }
    assertThat(server.messages()).filteredOn(ReceivedMessage::acknowledged).hasSize(3);
    assertThat(server.sessions()).hasSize(3);
  }
}
