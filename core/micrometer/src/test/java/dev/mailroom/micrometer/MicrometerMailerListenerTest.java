package dev.mailroom.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.ConnectionEvent;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Presets;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.Transport;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.StubSenderProvider;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MicrometerMailerListenerTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final StubSenderProvider provider = new StubSenderProvider();
  final Deque<Failure> failures = provider.failures;

  Mailer mailer() {
    EmailSettings settings = EmailSettings.builder().preset(Presets.OFFICE365).username("billing@acme.example")
        .password(Canary.PASSWORD).build();
    return Mailer.open(settings, MailerOptions.builder().senderProvider(provider)
        .listener(new MicrometerMailerListener(registry, Tags.of("tenant", "acme")))
        .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build());
  }

  static Email invoice() {
    return Email.builder().to("jane@customer.example").subject("Invoice").text("Attached").build();
  }

  @Test
  void recordsSendsByOutcomeCategoryProtocolAndProvider() throws SendException {
    try (Mailer m = mailer()) {
      m.send(invoice());
      m.send(invoice());
      failures.add(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).build());
      m.send(invoice());
      failures.add(Failure.builder(FailureCategory.AUTHENTICATION).code(535).build());
      catchThrowableOfType(() -> m.send(invoice()), SendException.class);
    }
    assertThat(registry.get(MicrometerMailerListener.SENDS).tags("outcome", "sent", "category", "none",
        "protocol", "smtp", "provider", "office365", "tenant", "acme").timer().count()).isEqualTo(3);
    assertThat(registry.get(MicrometerMailerListener.SENDS).tags("outcome", "failed", "category",
        "AUTHENTICATION", "protocol", "smtp", "provider", "office365").timer().count()).isEqualTo(1);
    assertThat(registry.get(MicrometerMailerListener.ATTEMPTS).tags("outcome", "sent").timer().count())
        .isEqualTo(3);
    assertThat(registry.get(MicrometerMailerListener.ATTEMPTS).tags("outcome", "failed").timers())
        .hasSize(2);
    assertThat(registry.get(MicrometerMailerListener.RETRIES).tags("category", "RATE_LIMITED", "failover",
        "false").counter().count()).isEqualTo(1.0);
  }

  @Test
  void countsOpenConnections() {
    MicrometerMailerListener listener = new MicrometerMailerListener(registry);
    Transport t = new Transport(0, Protocol.SMTP, "smtp.office365.com", 587, Optional.of("office365"));
    listener.connectionOpened(new ConnectionEvent(t, 1, Duration.ZERO, 0));
    listener.connectionOpened(new ConnectionEvent(t, 2, Duration.ZERO, 0));
    listener.connectionClosed(new ConnectionEvent(t, 1, Duration.ofSeconds(3), 10));
    assertThat(registry.get(MicrometerMailerListener.CONNECTIONS).tags("protocol", "smtp", "provider",
        "office365").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void tagsHoldNoHostAddressOrSecret() throws SendException {
    try (Mailer m = mailer()) {
      m.send(invoice());
    }
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getValue()).doesNotContain("@").doesNotContain("smtp.office365.com");
        Canary.assertNoCanary(tag.getValue());
      }
    }
  }
}
