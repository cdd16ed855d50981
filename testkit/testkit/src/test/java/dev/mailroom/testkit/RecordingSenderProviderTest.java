package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecordingSenderProviderTest {
  static final EmailSettings SETTINGS = EmailSettings.builder()
      .protocol(Protocol.SMTP).host("smtp.acme.test").port(587)
      .username("billing@acme.test").password("not-used")
      .senderName("Acme Ltd").copyTo("archive@acme.test").replyTo("office@acme.test")
      .build();

  static Email invoice() {
    return Email.builder()
        .to("Jane Doe <jane@customer.test>")
        .cc("boss@customer.test")
        .bcc("audit@acme.test")
        .subject("Invoice INV-1")
        .text("Please find the invoice attached.")
        .html("<p>Please find the invoice attached.</p>")
        .attach(Attachment.ofBytes("INV-1.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  @Test
  void recordsWhatTheMailerWouldSendWithTheSettingsApplied() throws Exception {
    RecordingSenderProvider recorder = new RecordingSenderProvider();
    try (Mailer mailer = Mailer.open(SETTINGS, recorder.mailerOptions())) {
      SendReceipt r = mailer.send(invoice());
      assertThat(r.acceptedRecipients()).contains("jane@customer.test", "archive@acme.test");
    }

    ReceivedEmail got = recorder.awaitOne(Duration.ofSeconds(10));
    assertThat(got.via()).isEqualTo("recorded");
    MailAssertions.assertThat(got)
        .isFrom("billing@acme.test")
        .sentTo("jane@customer.test", "boss@customer.test")
        .copiedTo("archive@acme.test")
        .copiedTo("audit@acme.test")
        .hasReplyTo("office@acme.test")
        .hasHtmlContaining("<p>")
        .hasAttachment("INV-1.pdf", "application/pdf");
    assertThat(got.fromName()).hasValue("Acme Ltd");
    assertThat(got.bcc()).containsExactly("audit@acme.test");
    assertThat(recorder.requests()).hasSize(1);
    assertThat(recorder.requests().get(0).copyTo().orElseThrow().email()).isEqualTo("archive@acme.test");
  }

  @Test
  void failsTheNextAttemptsAsToldAndTheMailerRetriesTransientOnes() throws Exception {
    RecordingSenderProvider recorder = new RecordingSenderProvider();
    recorder.failNext(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).code(421)
        .serverReply("421 4.7.0 Try again later").build());
    MailerOptions options = MailerOptions.builder().senderProvider(recorder).initialBackoff(Duration.ofMillis(1))
        .build();
    try (Mailer mailer = Mailer.open(SETTINGS, options)) {
      SendReceipt r = mailer.send(invoice());
      assertThat(r.attempts()).isEqualTo(2);
    }
    assertThat(recorder.requests()).extracting(x -> x.attempt()).containsExactly(1, 2);
    assertThat(recorder.received()).hasSize(1);
  }

  @Test
  void aPermanentFailureReachesTheCaller() {
    RecordingSenderProvider recorder = new RecordingSenderProvider();
    recorder.failNext(Failure.builder(FailureCategory.AUTHENTICATION).code(535).serverReply("535 5.7.8 nope")
        .build());
    try (Mailer mailer = Mailer.open(SETTINGS, recorder.mailerOptions())) {
      assertThatThrownBy(() -> mailer.send(invoice())).isInstanceOf(SendException.class)
          .satisfies(e -> assertThat(((SendException) e).category()).isEqualTo(FailureCategory.AUTHENTICATION));
    }
    recorder.assertNoneReceived();
    assertThat(recorder.requests()).hasSize(1);
  }

  @Test
  void isNotFoundByServiceDiscovery() {
    assertThat(java.util.ServiceLoader.load(dev.mailroom.spi.SenderProvider.class).stream()
        .map(p -> p.type().getName())).doesNotContain(RecordingSenderProvider.class.getName());
  }
}
