package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The fake HTTP mail API with the real HTTP sender, for every dialect. */
class MailroomHttpServerTest {
  static final byte[] PDF = "%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII);

  static Email invoice() {
    return Email.builder()
        .to("Jane Doe <jane@customer.test>")
        .cc("boss@customer.test")
        .subject("Invoice INV-1")
        .text("Please find the invoice attached.")
        .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", PDF))
        .build();
  }

  static MailerOptions fastRetries() {
    return MailerOptions.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sendgrid", "mailgun", "postmark", "resend", "brevo"})
  void receivesWhatTheHttpSenderSendsInEveryProviderDialect(String dialect) throws Exception {
    try (MailroomHttpServer api = MailroomHttpServer.builder().dialect(dialect).build().start()) {
      try (Mailer mailer = Mailer.open(api.settingsBuilder().copyTo("archive@acme.test").build())) {
        SendReceipt r = mailer.send(invoice());
        assertThat(r.messageId()).isNotBlank();
      }
      ReceivedEmail got = api.awaitOne(Duration.ofSeconds(10));
      assertThat(got.via()).isEqualTo("http:" + dialect);
      MailAssertions.assertThat(got)
          .hasSubject("Invoice INV-1")
          .isFrom(MailroomHttpServer.SENDER)
          .sentTo("jane@customer.test", "boss@customer.test")
          .copiedTo("archive@acme.test")
          .hasReplyTo(MailroomHttpServer.REPLY_TO)
          .hasTextContaining("Please find the invoice attached.")
          .hasAttachment("INV-1.pdf", "application/pdf")
          .hasAttachment("INV-1.pdf", PDF);
      assertThat(got.bcc()).containsExactly("archive@acme.test");
      assertThat(api.received()).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"form", "sendgrid"})
  void servesHttpsWithItsOwnSelfSignedCertificate(String dialect) throws Exception {
    try (MailroomHttpServer api = MailroomHttpServer.builder().dialect(dialect).tls(true).build().start()) {
      assertThat(api.settings().httpServer()).hasValueSatisfying(url -> assertThat(url.toString())
          .startsWith("https://127.0.0.1:" + api.port()));
      assertThat(api.settings().verifyTlsCertificate()).isFalse();
      assertThat(api.certificate().orElseThrow().hostNames()).containsExactly("localhost", "127.0.0.1");
      assertThat(api.toString()).contains("HTTPS API 127.0.0.1:" + api.port());

      try (Mailer mailer = Mailer.open(api.settings())) {
        mailer.send(invoice());
      }
      MailAssertions.assertThat(api.awaitOne(Duration.ofSeconds(10))).hasSubject("Invoice INV-1")
          .hasAttachment("INV-1.pdf", PDF);

      // the same server with certificates verified (the default): the self-signed certificate is refused
      try (Mailer mailer = Mailer.open(api.settingsBuilder().verifyTlsCertificate(true).build(), fastRetries())) {
        assertThatThrownBy(() -> mailer.send(invoice())).isInstanceOfSatisfying(SendException.class,
            e -> assertThat(e.failure().category()).isEqualTo(FailureCategory.TLS));
      }
      assertThat(api.received()).hasSize(1);
    }
  }

  @Test
  void anHttpsServerStopsCleanlyAndStartsAgainOnANewPort() {
    MailroomHttpServer api = MailroomHttpServer.builder().tls(true).build();
    api.start();
    int first = api.port();
    api.close();
    assertThatThrownBy(api::port).isInstanceOf(IllegalStateException.class);
    api.start();
    try {
      assertThat(api.port()).isPositive();
      assertThat(api.settings().httpServer().orElseThrow().toString()).startsWith("https://");
    } finally {
      api.close();
    }
    assertThat(first).isPositive();
  }

  @Test
  void theFormDialectSendsTheCopyAsARequestOfItsOwn() throws Exception {
    try (MailroomHttpServer api = MailroomHttpServer.create().start()) {
      try (Mailer mailer = Mailer.open(api.settingsBuilder().senderName("Acme Ltd").copyTo("archive@acme.test")
          .build())) {
        mailer.send(invoice());
      }
      List<ReceivedEmail> got = api.awaitReceived(2, Duration.ofSeconds(10));
      MailAssertions.assertThat(got.get(0))
          .hasSubject("Invoice INV-1")
          .sentTo("jane@customer.test", "boss@customer.test")
          .hasNoHiddenRecipients()
          .hasReplyTo(MailroomHttpServer.REPLY_TO)
          .hasHtmlContaining("Please find the invoice attached.")
          .hasAttachment("INV-1.pdf", PDF);
      assertThat(got.get(0).fromName()).hasValue("Acme Ltd");
      assertThat(got.get(0).from()).isEmpty(); // the form protocol sends the business name only
      assertThat(got.get(1).to()).containsExactly("archive@acme.test");
    }
  }

  @Test
  void aRateLimitWithRetryAfterIsRetriedAndDeliveredOnce() throws Exception {
    try (MailroomHttpServer api = MailroomHttpServer.builder().dialect("resend").build().start()) {
      api.failNext(429, Duration.ofSeconds(1));
      try (Mailer mailer = Mailer.open(api.settings(), fastRetries().toBuilder().maxBackoff(Duration.ofSeconds(2))
          .build())) {
        SendReceipt r = mailer.send(invoice());
        assertThat(r.attempts()).isEqualTo(2);
      }
      assertThat(api.awaitReceived(1, Duration.ofSeconds(10))).hasSize(1);
    }
  }

  @Test
  void aServerErrorIsRetried() throws Exception {
    try (MailroomHttpServer api = MailroomHttpServer.builder().dialect("sendgrid").build().start()) {
      api.failNext(503, "{\"errors\":[{\"message\":\"Service unavailable\"}]}");
      try (Mailer mailer = Mailer.open(api.settings(), fastRetries())) {
        assertThat(mailer.send(invoice()).attempts()).isEqualTo(2);
      }
      assertThat(api.received()).hasSize(1);
    }
  }

  @Test
  void aDroppedConnectionFailsTheAttemptAndNothingArrives() {
    try (MailroomHttpServer api = MailroomHttpServer.builder().dialect("postmark").build().start()) {
      api.dropNext();
      try (Mailer mailer = Mailer.open(api.settings(), MailerOptions.builder().maxAttempts(1).build())) {
        assertThatThrownBy(() -> mailer.send(invoice())).isInstanceOf(SendException.class);
      }
      api.assertNoneReceived();
    }
  }

  @Test
  void aWrongApiKeyIsRejectedLikeTheProviderDoes() {
    try (MailroomHttpServer api = MailroomHttpServer.builder().dialect("sendgrid").build().start()) {
      try (Mailer mailer = Mailer.open(api.settingsBuilder().apiKey("wrong-key").build())) {
        assertThatThrownBy(() -> mailer.send(invoice())).isInstanceOf(SendException.class)
            .satisfies(e -> {
              SendException s = (SendException) e;
              assertThat(s.category()).isEqualTo(FailureCategory.AUTHENTICATION);
              assertThat(s.failure().code()).hasValue(401);
            });
      }
      api.assertNoneReceived();
    }
  }
}
