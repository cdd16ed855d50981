package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.spi.ScriptedProvider;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MailerListenerTest {
  final ScriptedProvider provider = new ScriptedProvider(Protocol.SMTP);
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Object> payloads = new CopyOnWriteArrayList<>();

  final MailerListener recorder = new MailerListener() {
    @Override
    public void sendStarted(SendEvent send) {
      events.add("sendStarted " + send.recipients());
      payloads.add(send);
    }

    @Override
    public void attemptStarted(AttemptEvent attempt) {
      events.add("attemptStarted " + attempt.attempt());
      payloads.add(attempt);
    }

    @Override
    public void attemptFinished(AttemptResult result) {
      events.add("attemptFinished " + result.attempt().attempt() + " "
          + result.failure().map(f -> f.category().name()).orElse("OK"));
      payloads.add(result);
    }

    @Override
    public void retryScheduled(RetryEvent retry) {
      events.add("retryScheduled " + retry.reason().category());
      payloads.add(retry);
    }

    @Override
    public void sendSucceeded(SendEvent send, SendReceipt receipt) {
      events.add("sendSucceeded " + receipt.attempts());
      payloads.add(receipt);
    }

    @Override
    public void sendFailed(SendEvent send, Failure failure) {
      events.add("sendFailed " + failure.category());
      payloads.add(failure);
    }
  };

  Mailer mailer(MailerListener listener) {
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.acme.example").port(587)
        .username("billing@acme.example").password(Canary.PASSWORD).copyTo("archive@acme.example").build();
    return Mailer.open(settings, MailerOptions.builder().senderProvider(provider).listener(listener)
        .initialBackoff(Duration.ofMillis(8)).maxBackoff(Duration.ofMillis(20)).build());
  }

  static Email invoice() {
    return Email.builder().to("jane@customer.example").subject("Invoice INV-1").text("Body text 77")
        .build();
  }

  @Test
  void seesASendWithItsRetryInOrder() throws SendException {
    provider.failures.add(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).code(421)
        .server("smtp.acme.example", 587).build());
    try (Mailer m = mailer(recorder)) {
      m.send(invoice());
    }
    assertThat(events).containsExactly("sendStarted 2", "attemptStarted 1", "attemptFinished 1 RATE_LIMITED",
        "retryScheduled RATE_LIMITED", "attemptStarted 2", "attemptFinished 2 OK", "sendSucceeded 2");
    RetryEvent retry = payloads.stream().filter(RetryEvent.class::isInstance).map(RetryEvent.class::cast)
        .findFirst().orElseThrow();
    assertThat(retry.delay()).isPositive();
    assertThat(retry.nextTransport().index()).isZero();
  }

  @Test
  void seesAFailedSend() {
    provider.failures.add(Failure.builder(FailureCategory.AUTHENTICATION).code(535).build());
    try (Mailer m = mailer(recorder)) {
      catchThrowableOfType(() -> m.send(invoice()), SendException.class);
    }
    assertThat(events).containsExactly("sendStarted 2", "attemptStarted 1", "attemptFinished 1 AUTHENTICATION",
        "sendFailed AUTHENTICATION");
  }

  @Test
  void aListenerThatThrowsIsLoggedOnceAndNeverBreaksASend() throws SendException {
    MailerListener broken = new MailerListener() {
      @Override
      public void sendStarted(SendEvent send) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void sendSucceeded(SendEvent send, SendReceipt receipt) {
        throw new IllegalStateException("listener bug");
      }
    };
    try (LogCapture logs = LogCapture.start(); Mailer m = mailer(MailerListener.compose(broken, recorder))) {
      assertThat(m.send(invoice()).attempts()).isEqualTo(1);
      assertThat(m.send(invoice()).attempts()).isEqualTo(1);
      assertThat(logs.lines()).filteredOn(l -> l.contains("threw java.lang.IllegalStateException")
          && l.startsWith("WARN")).hasSize(1);
    }
    // the second listener still saw everything
    assertThat(events).filteredOn(e -> e.startsWith("sendSucceeded")).hasSize(2);
  }

  @Test
  void eventsCarryNoSecretAndNoBody() throws SendException {
    provider.failures.add(Failure.builder(FailureCategory.CONNECTION).transientFailure(true).build());
    try (Mailer m = mailer(recorder)) {
      m.send(invoice());
    }
    assertThat(payloads).isNotEmpty();
    for (Object p : payloads) {
      Canary.assertNoCanary(p.toString());
      assertThat(p.toString()).doesNotContain("Body text 77").doesNotContain("Invoice INV-1");
    }
  }

  @Test
  void passesOnTheSendersConnectionEventsAndAttemptTimings() throws SendException {
    List<ConnectionEvent> connections = new CopyOnWriteArrayList<>();
    List<AttemptResult> attempts = new CopyOnWriteArrayList<>();
    MailerListener listener = new MailerListener() {
      @Override
      public void connectionOpened(ConnectionEvent c) {
        connections.add(c);
      }

      @Override
      public void connectionClosed(ConnectionEvent c) {
        connections.add(c);
      }

      @Override
      public void attemptFinished(AttemptResult r) {
        attempts.add(r);
      }
    };
    dev.mailroom.spi.SenderProvider reporting = new dev.mailroom.spi.SenderProvider() {
      @Override
      public Protocol protocol() {
        return Protocol.SMTP;
      }

      @Override
      public dev.mailroom.spi.Sender open(EmailSettings settings, dev.mailroom.spi.SenderContext context) {
        return new dev.mailroom.spi.Sender() {
          @Override
          public SendReceipt send(dev.mailroom.spi.SendRequest request) {
            context.events().connectionOpened(7);
            context.events().attempt(new AttemptTimings(ConnectionUse.NEW, java.util.Optional.of(Duration.ofMillis(3)),
                java.util.Optional.of(Duration.ofMillis(5)), java.util.Optional.of(Duration.ofMillis(2)),
                java.util.Optional.of(Duration.ofMillis(4))));
            return new SendReceipt("id", List.of("jane@customer.example"), java.util.Optional.empty(), 1, Duration.ZERO);
          }

          @Override
          public void close() {
            context.events().connectionClosed(7, Duration.ofSeconds(1), 1);
          }
        };
      }
    };
    EmailSettings settings = EmailSettings.builder().preset(Presets.OFFICE365).username("billing@acme.example")
        .password("pw").build();
    try (Mailer m = Mailer.open(settings, MailerOptions.builder().senderProvider(reporting).listener(listener)
        .build())) {
      m.send(invoice());
    }
    assertThat(connections).hasSize(2);
    assertThat(connections.get(0).transport()).hasToString("smtp://smtp.office365.com:587");
    assertThat(connections.get(0).transport().provider()).contains("office365");
    assertThat(connections.get(1).messages()).isEqualTo(1);
    assertThat(attempts).singleElement().satisfies(a -> {
      assertThat(a.timings().connection()).isEqualTo(ConnectionUse.NEW);
      assertThat(a.timings().tls()).contains(Duration.ofMillis(5));
    });
  }
}
