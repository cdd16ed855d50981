package dev.mailroom.testkit;

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
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fault injection and personas, as an application's test would use them: with the real SMTP sender. */
class FaultySmtpServerTest {
  @StartStop
  static FaultySmtpServer smtp = FaultySmtpServer.create();

  static final MailerOptions FAST = MailerOptions.builder().initialBackoff(Duration.ofMillis(10))
      .maxBackoff(Duration.ofMillis(50)).build();

  static Email invoice() {
    return Email.builder().to("jane@customer.test").subject("Invoice INV-1").text("Attached.")
        .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  static SendException failure(EmailSettings settings) {
    try (Mailer mailer = Mailer.open(settings, FAST)) {
      return catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
    }
  }

  @Test
  void deliversNormallyWithoutFaults() throws Exception {
    try (Mailer mailer = Mailer.open(smtp.settingsBuilder().copyTo("archive@acme.test").build(), FAST)) {
      mailer.send(invoice());
    }
    MailAssertions.assertThat(smtp.awaitOne(Duration.ofSeconds(10)))
        .hasSubject("Invoice INV-1").sentTo("jane@customer.test").copiedTo("archive@acme.test")
        .hasAttachment("INV-1.pdf", "application/pdf");
  }

  @Test
  void aRateLimitAtMailIsRetriedAndDeliveredOnce() throws Exception {
    smtp.failNext(Step.MAIL, "421 4.7.0 Try again later, closing connection");
    try (Mailer mailer = Mailer.open(smtp.settings(), FAST)) {
      SendReceipt r = mailer.send(invoice());
      assertThat(r.attempts()).isEqualTo(2);
    }
    assertThat(smtp.awaitReceived(1, Duration.ofSeconds(10))).hasSize(1);
  }

  @Test
  void aRejectedLoginIsNotRetried() {
    smtp.failNext(Step.AUTH, "535 5.7.8 Username and Password not accepted");

    SendException e = failure(smtp.settings());

    assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(e.attempts()).isEqualTo(1);
    smtp.assertNoneReceived();
  }

  @Test
  void aConnectionDroppedAfterTheFinalDotIsAnUnknownOutcome() {
    smtp.dropNext(Step.MESSAGE);

    SendException e = failure(smtp.settings());

    assertThat(e.category()).isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
    assertThat(e.isTransient()).isFalse();
    smtp.assertNoneReceived();
    assertThat(smtp.scripted().messages()).hasSize(1); // the server got it, but never confirmed
  }

  @Test
  void aStalledServerTimesOutAndTheRetryDelivers() throws Exception {
    smtp.stallNext(Step.MAIL);
    try (Mailer mailer = Mailer.open(smtp.settingsBuilder().readTimeout(Duration.ofSeconds(1)).build(), FAST)) {
      assertThat(mailer.send(invoice()).attempts()).isEqualTo(2);
    }
    assertThat(smtp.received()).hasSize(1);
  }

  @Test
  void faultsAreForgottenBetweenTests() throws Exception {
    try (Mailer mailer = Mailer.open(smtp.settings(), FAST)) {
      assertThat(mailer.send(invoice()).attempts()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(ProviderPersona.class)
  void personasReplayTheProvidersRefusal(ProviderPersona persona) {
    try (FaultySmtpServer server = FaultySmtpServer.builder().persona(persona).build().start()) {
      SendException e = failure(server.settings());

      String first = persona.reply().get(0).substring(4).replaceFirst("^[245]\\.\\d+\\.\\d+\\s+", "")
          .replaceAll("\\s+", " "); // server replies are sanitized: runs of spaces collapse
      assertThat(e.failure().serverReply().orElseThrow()).as(persona.name()).startsWith(first);
      FailureCategory expected = switch (persona) {
        case GMAIL_RATE_LIMITED -> FailureCategory.RATE_LIMITED;
        case MICROSOFT_365_SEND_AS_DENIED -> FailureCategory.SENDER_REJECTED;
        case YAHOO_POLICY_REJECTED -> FailureCategory.MESSAGE_REJECTED;
        default -> FailureCategory.AUTHENTICATION;
      };
      assertThat(e.category()).as(persona.name()).isEqualTo(expected);
      String hint = switch (persona) {
        case GMAIL_BAD_CREDENTIALS -> "hint.auth.gmail-bad-credentials";
        case GMAIL_APP_PASSWORD_REQUIRED -> "hint.auth.gmail-app-password-required";
        case GMAIL_RATE_LIMITED -> "hint.rate-limited";
        case MICROSOFT_365_SMTP_AUTH_DISABLED -> "hint.auth.m365-smtp-auth-disabled";
        case MICROSOFT_365_BASIC_AUTH_RETIRED -> "hint.auth.m365-basic-auth-retired";
        case MICROSOFT_365_SEND_AS_DENIED -> "hint.sender.send-as-denied";
        case YAHOO_TOO_MANY_BAD_ATTEMPTS -> "hint.auth.yahoo";
        case YAHOO_POLICY_REJECTED -> "hint.message.policy";
        case MICROSOFT_365_BAD_CREDENTIALS -> e.failure().hintKey(); // the reply alone does not name Microsoft
      };
      assertThat(e.failure().hintKey()).as(persona.name()).isEqualTo(hint);
      server.assertNoneReceived();
    }
  }
}
