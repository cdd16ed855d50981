package com.acme.billing;

import static dev.mailroom.testkit.MailAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mailroom.Mailer;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpApiRetryTest {
  @StartStop
  static MailroomHttpServer api = MailroomHttpServer.builder().dialect("sendgrid").build(); // WireMock

  @Test
  void retriesAfterARateLimit() throws Exception {
    api.failNext(429, Duration.ofSeconds(1));               // one 429 with Retry-After: 1
    try (Mailer mailer = Mailer.open(api.settings())) {
      byte[] pdf = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);
      assertEquals(2, new InvoiceService(mailer).email("INV-1", "jane@customer.test", pdf).attempts());
    }
    assertThat(api.awaitOne(Duration.ofSeconds(5))).hasAttachment("INV-1.pdf");
  }
}
