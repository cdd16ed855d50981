package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.FailoverMailer;
import com.acme.billing.MailerMetrics;
import com.acme.billing.MonthEndBatch;
import com.acme.billing.MonthEndLimits;
import com.acme.billing.SharedLimits;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendLimiter;
import dev.mailroom.SendReceipt;
import dev.mailroom.SendResult;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.junit.StartStop;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Runs the README's "Sending at month end" snippets against the test kit's local server. */
class MonthEndSnippetsRunTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.create();

  static Email invoice(int i) {
    return Email.builder().to("customer" + i + "@customer.test").subject("Invoice INV-" + i).text("Attached.")
        .build();
  }

  @Test
  void theBatchSendsEveryInvoiceAndTheReRunHasNothingLeft() {
    List<Email> invoices = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      invoices.add(invoice(i));
    }
    List<SendResult> results = MonthEndBatch.send(smtp.settings(), invoices, Locale.ENGLISH);

    assertThat(results).hasSize(12).allMatch(SendResult::sent);
    assertThat(smtp.awaitReceived(12, Duration.ofSeconds(10))).hasSize(12);
    assertThat(MonthEndBatch.sendTheRestAgain(smtp.settings(), results)).isEmpty();
  }

  @Test
  void theLimitsReplaceThePresets() {
    assertThat(MonthEndLimits.options().limits().orElseThrow().messagesPerMinute()).hasValue(30);
  }

  @Test
  void twoInstancesOnOneStoreShareTheMailboxLimits() {
    InMemoryProxyManager store = new InMemoryProxyManager();
    SendLimiter one = SharedLimits.options(store, "billing").limiter().orElseThrow();
    SendLimiter two = SharedLimits.options(store, "billing").limiter().orElseThrow();
    assertThat(one.reserve(1).delay()).isZero();
    // Microsoft 365's 30 a minute: the other instance's next message gets the slot 2 s later, not now
    assertThat(two.reserve(1).delay()).isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void failoverDeliversThroughTheSecondWhenTheFirstCannotBeReached() throws IOException, SendException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    EmailSettings down = EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(closed)
        .tlsMode(TlsMode.NONE).emailAddress("billing@acme.test").build();

    SendReceipt receipt = FailoverMailer.send(down, smtp.settings(), invoice(1));

    assertThat(receipt.transport().orElseThrow().index()).isEqualTo(1);
    assertThat(smtp.awaitReceived(1, Duration.ofSeconds(10))).hasSize(1);
  }

  @Test
  void theMetricsCountASend() throws SendException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MailerOptions options = MailerMetrics.options(registry);
    try (Mailer mailer = Mailer.open(smtp.settings(), options)) {
      mailer.send(invoice(1));
    }
    assertThat(registry.get("mailroom.sends").tag("outcome", "sent").timer().count()).isEqualTo(1);
  }
}
