package dev.mailroom.testkit.smtp;

import static dev.mailroom.testkit.smtp.Faults.fail;
import static dev.mailroom.testkit.smtp.Faults.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Presets;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Action;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the server says becomes the right category, transience and hint. */
@Timeout(30)
class SmtpReplyFailureTest {
  private ScriptedSmtpServer server;

  @BeforeEach
  void start() {
    server = ScriptedSmtpServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private EmailSettings login() {
    return settings(server).username("billing@acme.example").password("pw").build();
  }

  private SendException authFails(EmailSettings s, String... reply) {
    server.on(Step.AUTH, Action.reply(reply));
    SendException e = fail(s);
    assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(e.isTransient()).isFalse();
    assertThat(server.commands()).extracting(c -> c.verb()).doesNotContain("MAIL");
    return e;
  }

  @Test
  void badCredentials() {
    server.close();
    server = ScriptedSmtpServer.builder().credentials("billing@acme.example", "right").start();
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(e.failure().code()).hasValue(535);
    assertThat(e.failure().enhancedStatus()).hasValue("5.7.8");
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.bad-credentials");
    assertThat(e.getMessage()).isEqualTo("Authentication failed (127.0.0.1:" + server.port()
        + "): 535 5.7.8 Authentication credentials invalid");
  }

  @Test
  void gmailBadCredentialsAsksForAnAppPassword() {
    SendException e = authFails(login(),
        "535-5.7.8 Username and Password not accepted. For more information, go to",
        "535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2-20020a05 - gsmtp");
    assertThat(e.failure().provider()).hasValue("gmail");
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.gmail-bad-credentials");
    assertThat(e.hint(Locale.ENGLISH)).contains("app password");
  }

  @Test
  void gmailApplicationSpecificPasswordRequired() {
    SendException e = authFails(login(),
        "534-5.7.9 Application-specific password required. For more information, go to",
        "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2-20020a05 - gsmtp");
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.gmail-app-password-required");
    assertThat(e.hint(Locale.ENGLISH)).contains("2-Step Verification");
  }

  @Test
  void yahooNeedsAnAppPassword() {
    EmailSettings s = EmailSettings.builder().preset(Presets.YAHOO).host("127.0.0.1").port(server.port())
        .tlsMode(TlsMode.NONE).username("someone@yahoo.com").password("pw")
        .connectTimeout(Faults.TIMEOUT).readTimeout(Faults.TIMEOUT).build();
    SendException e = authFails(s, "535 5.7.0 (#AUTH005) Too many bad auth attempts.");
    assertThat(e.failure().provider()).hasValue("yahoo");
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.yahoo");
    assertThat(e.hint(Locale.ENGLISH)).contains("Generate app password");
  }

  @Test
  void microsoftSmtpAuthDisabledForTheTenant() {
    SendException e = authFails(login(), "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is"
        + " disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.");
    assertThat(e.failure().provider()).hasValue("office365");
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.m365-smtp-auth-disabled");
    assertThat(e.hint(Locale.ENGLISH)).contains("administrator").contains("OAuth2");
  }

  @Test
  void microsoftBasicAuthRetired() {
    SendException e = authFails(login(), "550 5.7.30 Basic authentication is not supported for Client Submission.");
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.m365-basic-auth-retired");
    assertThat(e.hint(Locale.ENGLISH)).contains("OAuth2");
  }

  @Test
  void sendAsDeniedAtMail() {
    server.on(Step.MAIL, Action.reply("550 5.7.60 SMTP; Client does not have permissions to send as this sender"));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.SENDER_REJECTED);
    assertThat(e.failure().hintKey()).isEqualTo("hint.sender.send-as-denied");
    assertThat(e.hint(Locale.ENGLISH)).contains("billing@acme.example");
    assertThat(e.isTransient()).isFalse();
  }

  @Test
  void sendAsDeniedAfterTheMessage() {
    server.on(Step.MESSAGE, Action.reply("554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException"
        + ".MapiExceptionSendAsDenied; Failed to process message due to a permanent exception"));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.SENDER_REJECTED);
    assertThat(e.failure().hintKey()).isEqualTo("hint.sender.send-as-denied");
    assertThat(e.failure().provider()).hasValue("office365");
  }

  @Test
  void recipientRejectedNamesTheRecipient() {
    server.onNext(Step.RCPT, Action.accept());
    server.onNext(Step.RCPT, Action.reply("550 5.1.1 <nobody@example.com>: Recipient address rejected: User"
        + " unknown"));
    Email email = Email.builder().to("customer@example.com", "nobody@example.com").subject("x").text("y").build();
    try (Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(3).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email));
      assertThat(e.category()).isEqualTo(FailureCategory.RECIPIENT_REJECTED);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.failure().code()).hasValue(550);
      assertThat(e.failure().enhancedStatus()).hasValue("5.1.1");
      assertThat(e.getMessage()).startsWith("The server refused the recipient nobody@example.com");
      assertThat(e.hint(Locale.ENGLISH)).contains("nobody@example.com").contains("User unknown");
    }
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void messageTooLarge() {
    server.on(Step.MESSAGE, Action.reply("552 5.3.4 Message size exceeds fixed maximum message size"));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().hintKey()).isEqualTo("hint.message.too-large");
    assertThat(e.isTransient()).isFalse();
  }

  @Test
  void policyRejection() {
    server.on(Step.MESSAGE, Action.reply("554 5.7.9 Message not accepted for policy reasons."
        + "  See https://help.yahoo.com/kb/postmaster/SLN7253.html"));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.failure().hintKey()).isEqualTo("hint.message.policy");
  }

  @Test
  void rateLimited421AtMail() {
    server.on(Step.MAIL, Action.reply("421 4.7.0 Try again later, closing connection.").then(Action.drop()));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
    assertThat(e.isTransient()).isTrue();
  }

  @Test
  void rateLimited450AtRcpt() {
    server.on(Step.RCPT, Action.reply("450 4.2.1 The user you are trying to contact is receiving mail at a rate"
        + " that prevents additional messages from being delivered."));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
    assertThat(e.isTransient()).isTrue();
  }

  @Test
  void temporaryFailureAfterTheMessageIsTransient() {
    server.on(Step.MESSAGE, Action.reply("451 4.3.0 Temporary system problem"));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
    assertThat(e.isTransient()).isTrue();
  }

  @Test
  void transient421ThenSuccessIsRetriedAndDeliveredOnce() throws Exception {
    server.onNext(Step.MAIL, Action.reply("421 4.7.0 Try again later").then(Action.drop()));
    Email email = Faults.email();
    SendReceipt r;
    try (Mailer mailer = Mailer.open(login(), new Faults.Transcript().options(3))) {
      r = mailer.send(email);
    }
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(server.messages()).hasSize(1);
    ReceivedMessage m = server.messages().get(0);
    assertThat(m.acknowledged()).isTrue();
    assertThat(m.header("Message-ID")).hasValue("<" + r.messageId() + ">");
    assertThat(r.messageId()).isEqualTo(email.idempotencyKey() + "@acme.example");
    assertThat(server.sessions()).hasSize(2);
  }

  @Test
  void droppedDuringDataIsTransient() {
    server.on(Step.DATA, Action.reply("354 go ahead").then(Action.drop()));
    // big enough that the client is still writing when the connection goes away
    Email email = Email.builder().to("customer@example.com").subject("big").text("x")
        .attach(Attachment.ofStream("big.bin", "application/octet-stream", () -> zeros(8 << 20))).build();
    try (Mailer mailer = Mailer.open(login(), MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email));
      assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.failure().hintKey()).isEqualTo("hint.connection.lost");
    }
  }

  static InputStream zeros(long n) {
    return new InputStream() {
      long left = n;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + k, (byte) 'a');
        left -= k;
        return k;
      }
    };
  }

  @Test
  void droppedAfterTheFinalDotIsOutcomeUnknownAndNotRetried() {
    server.on(Step.MESSAGE, Action.drop());
    try (Mailer mailer = Mailer.open(login(), MailerOptions.builder().maxAttempts(3)
        .initialBackoff(Duration.ofMillis(10)).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(Faults.email()));
      assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.failure().hintKey()).isEqualTo("hint.outcome-unknown");
    }
    assertThat(server.messages()).hasSize(1);
    assertThat(server.messages().get(0).acknowledged()).isFalse();
  }

  @Test
  void noReplyAfterTheFinalDotIsOutcomeUnknown() {
    server.on(Step.MESSAGE, Action.stall());
    SendException e = fail(Faults.timingOut(settings(server).username("billing@acme.example").password("pw"))
        .build(), MailerOptions.builder().maxAttempts(3).build());
    assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    assertThat(e.attempts()).isEqualTo(1);
  }

  @Test
  void closedAfterRcptIsATransientConnectionFailure() {
    server.on(Step.RCPT, Action.reply("250 2.1.5 Ok").then(Action.drop()));
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).contains("DATA");
  }

  @Test
  void authenticationRequiredByTheServer() {
    server.close();
    server = ScriptedSmtpServer.builder().requireAuth().start();
    SendException e = fail(settings(server).build());
    assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.required");
  }

  @Test
  void credentialsButNoAuthOfferedIsNotSupported() {
    server.close();
    server = ScriptedSmtpServer.builder().extensions("SMTPUTF8", "8BITMIME").start();
    SendException e = fail(login());
    assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.not-supported");
    assertThat(server.commands()).extracting(c -> c.verb()).doesNotContain("MAIL");
  }

  @Test
  void onlyUnsupportedMechanismsIsNotSupported() {
    server.close();
    server = ScriptedSmtpServer.builder().extensions("AUTH CRAM-MD5 GSSAPI").start();
    SendException e = fail(login());
    assertThat(e.failure().hintKey()).isEqualTo("hint.auth.not-supported");
  }

  @Test
  void nonAsciiLocalPartWithoutSmtpUtf8IsRefusedClearly() {
    server.close();
    server = ScriptedSmtpServer.builder().extensions("AUTH PLAIN", "8BITMIME").start();
    Email email = Email.builder().to("jürgen@example.com").subject("x").text("y").build();
    try (Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(1).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email));
      assertThat(e.category()).isEqualTo(FailureCategory.RECIPIENT_REJECTED);
      assertThat(e.failure().hintKey()).isEqualTo("hint.recipient.needs-smtputf8");
      assertThat(e.hint(Locale.ENGLISH)).contains("jürgen@example.com").contains("SMTPUTF8");
    }
    assertThat(server.commands()).extracting(c -> c.verb()).doesNotContain("MAIL");
  }

  @Test
  void unreadableAttachmentIsAConfigurationFailureAndNothingIsDelivered() {
    Email email = Email.builder().to("customer@example.com").subject("x").text("y")
        .attach(Attachment.ofStream("report.pdf", "application/pdf", () -> {
          throw new IOException("disk gone");
        })).build();
    try (Mailer mailer = Mailer.open(settings(server).build(), MailerOptions.builder().maxAttempts(3).build())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email));
      assertThat(e.category()).isEqualTo(FailureCategory.CONFIGURATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.attachment.unreadable");
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.hint(Locale.ENGLISH)).contains("report.pdf");
    }
    assertThat(server.messages()).allMatch(m -> !m.acknowledged());
  }
}
