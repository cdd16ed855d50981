package com.acme.billing;

import static dev.mailroom.testkit.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.testkit.RecordingSenderProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordingSenderTest {
  static final byte[] PDF = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);
  final EmailSettings settings = EmailSettings.builder()
      .protocol(Protocol.SMTP).host("smtp.acme.test").port(587).username("billing@acme.test").password("never used")
      .copyTo("archive@acme.test").build();

  @Test
  void recordsWhatTheMailerWouldSend() throws Exception {
    RecordingSenderProvider recorder = new RecordingSenderProvider();
    try (Mailer mailer = Mailer.open(settings, recorder.mailerOptions())) {
      new InvoiceService(mailer).email("INV-1", "jane@customer.test", PDF);
    }
    assertThat(recorder.received().get(0)).hasAttachment("INV-1.pdf").copiedTo("archive@acme.test");
  }

  @Test
  void failsOnDemand() {
    RecordingSenderProvider recorder = new RecordingSenderProvider();
    recorder.failNext(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(false).build());
    MailerOptions options = MailerOptions.builder().senderProvider(recorder).build();
    try (Mailer mailer = Mailer.open(settings, options)) {
      assertThatThrownBy(() -> new InvoiceService(mailer).email("INV-1", "jane@customer.test", PDF))
          .isInstanceOf(SendException.class);
    }
  }
}
