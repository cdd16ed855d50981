package dev.mailroom.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.testkit.MailAssertions;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.ReceivedEmail;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Gmail API (dialect gmail) and Amazon SES v2 (dialect ses) against the test kit's fakes: both carry the
 * message written by Mailroom's MIME writer, read back here with Jakarta Mail.
 */
@Timeout(120)
class RawMailApisTest {
  @StartStop
  static MailroomHttpServer gmail = MailroomHttpServer.builder().dialect("gmail").build();
  @StartStop
  static MailroomHttpServer ses = MailroomHttpServer.builder().dialect("ses").build();

  static final byte[] PDF = "%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII);

  static Email invoice() {
    return Email.builder()
        .to("Jane Doe <jane@customer.test>")
        .cc("boss@customer.test")
        .bcc("auditor@acme.test")
        .subject("Invoice INV-1")
        .text("Please find the invoice attached.")
        .header("X-Invoice-Number", "INV-1")
        .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", PDF))
        .build();
  }

  static MailerOptions once() {
    return MailerOptions.builder().maxAttempts(1).build();
  }

  private static ReceivedEmail sendOne(MailroomHttpServer api, Email e) throws Exception {
    try (Mailer mailer = Mailer.open(api.settingsBuilder().copyTo("archive@acme.test").build(), once())) {
      SendReceipt r = mailer.send(e);
      assertThat(r.messageId()).isNotBlank();
    }
    return api.awaitOne(Duration.ofSeconds(10));
  }

  @Test
  void gmailReceivesTheMimeMessageWithBlindCopiesInTheEnvelopeOnly() throws Exception {
    ReceivedEmail got = sendOne(gmail, invoice());
    assertThat(got.via()).isEqualTo("http:gmail");
    MailAssertions.assertThat(got).hasSubject("Invoice INV-1").isFrom(MailroomHttpServer.SENDER)
        .sentTo("jane@customer.test", "boss@customer.test").copiedTo("auditor@acme.test")
        .copiedTo("archive@acme.test")
        .hasReplyTo(MailroomHttpServer.REPLY_TO).hasTextContaining("Please find the invoice attached.")
        .hasAttachment("INV-1.pdf", PDF);
    assertThat(got.header("X-Invoice-Number")).hasValue("INV-1");
    assertThat(got.header("Bcc")).isEmpty();
    assertThat(new String(got.raw().orElseThrow(), StandardCharsets.UTF_8)).doesNotContain("auditor@acme.test");
  }

  @Test
  void sesReceivesTheSignedRawMessage() throws Exception {
    ReceivedEmail got = sendOne(ses, invoice());
    assertThat(got.via()).isEqualTo("http:ses");
    MailAssertions.assertThat(got).hasSubject("Invoice INV-1").isFrom(MailroomHttpServer.SENDER)
        .sentTo("jane@customer.test", "boss@customer.test").copiedTo("auditor@acme.test")
        .copiedTo("archive@acme.test")
        .hasAttachment("INV-1.pdf", PDF);
    assertThat(new String(got.raw().orElseThrow(), StandardCharsets.UTF_8)).doesNotContain("auditor@acme.test");
  }

  @Test
  void aLargeMessageTakesGmailsResumableUpload() throws Exception {
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(5).nextBytes(big);
    ReceivedEmail got = sendOne(gmail, invoice().toBuilder()
        .attach(Attachment.ofBytes("scan.pdf", "application/pdf", big)).build());
    MailAssertions.assertThat(got).hasAttachment("scan.pdf", big).hasAttachment("INV-1.pdf", PDF);
  }

  @Test
  void aLargeMessageIsSignedAndStreamedToSes() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024];
    new Random(6).nextBytes(big);
    ReceivedEmail got = sendOne(ses, invoice().toBuilder()
        .attach(Attachment.ofStream("scan.pdf", "application/pdf", () -> new java.io.ByteArrayInputStream(big)))
        .build());
    MailAssertions.assertThat(got).hasAttachment("scan.pdf", big);
  }

  @Test
  void sizeLimitsAreCheckedBeforeSending() {
    byte[] huge = new byte[36 * 1024 * 1024];
    Email e = invoice().toBuilder().attach(Attachment.ofStream("huge.bin", "application/octet-stream",
        () -> new java.io.ByteArrayInputStream(huge))).build();
    for (MailroomHttpServer api : new MailroomHttpServer[] {gmail, ses}) {
      try (Mailer mailer = Mailer.open(api.settings(), once())) {
        SendException x = catchThrowableOfType(SendException.class, () -> mailer.send(e));
        assertThat(x.category()).as(api.dialect()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
        assertThat(x.failure().hintKey()).isEqualTo("hint.api.size-limit");
        assertThat(x.failure().hint(Locale.ENGLISH)).contains(api.dialect().equals("gmail") ? "35 MB" : "40 MB");
        assertThat(x.isTransient()).isFalse();
      }
      api.assertNoneReceived();
    }
  }

  @Test
  void wrongAwsCredentialsAreRefusedBySignatureCheck() {
    String[] key = ses.apiKey().orElseThrow().reveal().split(":");
    try (Mailer mailer = Mailer.open(ses.settingsBuilder().apiKey(key[0] + ":not-the-secret").build(), once())) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hintKey()).isEqualTo("hint.ses.credentials");
      assertThat(e.getMessage()).contains("SignatureDoesNotMatch").doesNotContain("not-the-secret");
    }
    ses.assertNoneReceived();
  }

  @Test
  void aSessionTokenIsSignedAndSent() throws Exception {
    try (Mailer mailer = Mailer.open(ses.settingsBuilder().apiKey(ses.apiKey().orElseThrow().reveal()
        + ":FQoGZXIvYXdzEXAMPLESESSIONTOKEN").build(), once())) {
      mailer.send(invoice());
    }
    assertThat(ses.awaitOne(Duration.ofSeconds(10)).subject()).isEqualTo("Invoice INV-1");
  }

  @ParameterizedTest
  @CsvSource({
      "MessageRejected, Email address is not verified., SENDER_REJECTED, hint.ses.not-verified, false",
      "MailFromDomainNotVerifiedException, MAIL FROM domain not verified, SENDER_REJECTED, hint.ses.mail-from-not-verified, false",
      "AccountSuspendedException, Account suspended, CONFIGURATION, hint.ses.account-suspended, false",
      "SendingPausedException, Sending paused, CONFIGURATION, hint.ses.sending-paused, false",
      "TooManyRequestsException, Too Many Requests, RATE_LIMITED, hint.rate-limited, true",
      "LimitExceededException, Maximum sending rate exceeded, RATE_LIMITED, hint.ses.limit-exceeded, true",
  })
  void sesErrorTypesAreClassified(String type, String message, FailureCategory category, String hint,
      boolean transientFailure) {
    try (Mailer mailer = Mailer.open(ses.settings(), once())) {
      ses.failNextWithError(type.equals("TooManyRequestsException") ? 429 : 400, type, message);
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).as(type).isEqualTo(category);
      assertThat(e.failure().hintKey()).isEqualTo(hint);
      assertThat(e.isTransient()).isEqualTo(transientFailure);
      assertThat(e.getMessage()).contains(type);
      assertThat(e.failure().hint(Locale.forLanguageTag("bn"))).doesNotStartWith("hint.");
    }
  }

  @ParameterizedTest
  @CsvSource({
      "gmail, 401, AUTHENTICATION, hint.auth.token",
      "gmail, 403, AUTHENTICATION, hint.gmail.scope",
      "gmail, 429, RATE_LIMITED, hint.rate-limited",
      "gmail, 503, SERVER_ERROR, hint.http.server-error",
      "ses, 403, AUTHENTICATION, hint.ses.credentials",
      "ses, 404, CONFIGURATION, hint.ses.not-found",
      "ses, 429, RATE_LIMITED, hint.rate-limited",
      "ses, 500, SERVER_ERROR, hint.http.server-error",
  })
  void faultMatricesAreClassified(String dialect, int status, FailureCategory category, String hint) {
    MailroomHttpServer api = dialect.equals("gmail") ? gmail : ses;
    try (Mailer mailer = Mailer.open(api.settings(), once())) {
      api.failNextAsProvider(status);
      if (status == 401) {
        api.failNextAsProvider(status); // the retry with a fresh token is refused too
      }
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(invoice()));
      assertThat(e.category()).as(dialect + " " + status).isEqualTo(category);
      assertThat(e.failure().hintKey()).isEqualTo(hint);
      assertThat(e.failure().code()).hasValue(status);
    }
    api.assertNoneReceived();
  }
}
