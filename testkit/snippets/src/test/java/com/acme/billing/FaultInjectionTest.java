package com.acme.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  @StartStop
  static FaultySmtpServer smtp = FaultySmtpServer.create();   // on the scripted SMTP server

  static final byte[] PDF = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aRateLimitIsRetriedAndDeliveredOnce() throws Exception {
    smtp.failNext(Step.MAIL, "421 4.7.0 Try again later, closing connection");
    try (Mailer mailer = Mailer.open(smtp.settings())) {
      SendReceipt receipt = new InvoiceService(mailer).email("INV-1", "jane@customer.test", PDF);
      assertThat(receipt.attempts()).isEqualTo(2);
    }
    assertThat(smtp.awaitReceived(1, Duration.ofSeconds(5))).hasSize(1);
  }

  @Test
  void aWrongPasswordIsNotRetried() {
    smtp.failNext(Step.AUTH, "535 5.7.8 Username and Password not accepted");
    try (Mailer mailer = Mailer.open(smtp.settings())) {
      SendException e = catchThrowableOfType(SendException.class,
          () -> new InvoiceService(mailer).email("INV-1", "jane@customer.test", PDF));
      assertThat(e.category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.attempts()).isEqualTo(1);
    }
    smtp.assertNoneReceived();
  }
}
