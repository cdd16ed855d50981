package com.acme.billing;

import static dev.mailroom.testkit.MailAssertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InvoiceMailTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.create();   // GreenMail on 127.0.0.1, free port

  @Test
  void emailsTheInvoiceWithACopyToTheArchive() throws Exception {
    EmailSettings settings = smtp.settingsBuilder().copyTo("archive@acme.test").build();
    try (Mailer mailer = Mailer.open(settings)) {
      new InvoiceService(mailer).email("INV-1", "jane@customer.test", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(smtp.awaitOne(Duration.ofSeconds(5)))
        .hasSubject("Invoice INV-1")
        .sentTo("jane@customer.test")                   // in To/Cc and delivered to
        .copiedTo("archive@acme.test")                  // delivered to, but in no header
        .hasAttachment("INV-1.pdf", "application/pdf");
  }
}
