package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.spi.DiscoveredHttpProvider;
import dev.mailroom.spi.ScriptedProvider;
import dev.mailroom.spi.SenderProvider;
import dev.mailroom.spi.SendRequest;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailerTest {
  final ScriptedProvider provider = new ScriptedProvider(Protocol.SMTP);

  EmailSettings settings() {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.acme.example").port(587)
        .username("billing@acme.example").password("pw").senderName("Acme Ltd")
        .copyTo("archive@acme.example").replyTo("office@acme.example").build();
  }

  Mailer mailer(MailerOptions.Builder options) {
    return Mailer.open(settings(), options.senderProvider(provider).initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(20)).build());
  }

  static Email invoice() {
    return Email.builder().to("jane@customer.example").subject("Invoice").text("Attached").build();
  }

  static Failure transientFailure() {
    return Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true).code(421).server("h", 1).build();
  }

  @Test
  void appliesSenderReplyToAndCopyAddress() throws SendException {
    try (Mailer m = mailer(MailerOptions.builder())) {
      SendReceipt r = m.send(invoice());
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.acceptedRecipients()).containsExactly("jane@customer.example", "archive@acme.example");
      SendRequest req = provider.requests.get(0);
      assertThat(req.from()).isEqualTo(Address.of("billing@acme.example", "Acme Ltd"));
      assertThat(req.envelopeFrom()).isEqualTo(Address.of("billing@acme.example"));
      assertThat(req.email().replyTo()).containsExactly(Address.of("office@acme.example"));
      assertThat(req.copyTo()).contains(Address.of("archive@acme.example"));
      // the copy address is an envelope recipient only: no header field of the email holds it
      assertThat(req.email().to()).containsExactly(Address.of("jane@customer.example"));
      assertThat(req.email().cc()).isEmpty();
      assertThat(req.email().bcc()).isEmpty();
    }
  }

  @Test
  void emailsOwnSenderAndReplyToWinAndCopyIsNotDuplicated() throws SendException {
    try (Mailer m = mailer(MailerOptions.builder())) {
      m.send(Email.builder().from("Sales <sales@acme.example>").replyTo("sales@acme.example")
          .to("jane@customer.example").cc("archive@acme.example").build());
      SendRequest req = provider.requests.get(0);
      assertThat(req.from()).isEqualTo(Address.of("sales@acme.example", "Sales"));
      assertThat(req.envelopeFrom()).isEqualTo(Address.of("sales@acme.example"));
      assertThat(req.email().replyTo()).containsExactly(Address.of("sales@acme.example"));
      assertThat(req.envelopeRecipients()).extracting(Address::email)
          .containsExactly("jane@customer.example", "archive@acme.example");
    }
  }

  @Test
  void retriesTransientFailuresWithTheSameEmail() throws SendException {
    provider.failures.add(transientFailure());
    provider.failures.add(transientFailure());
    try (Mailer m = mailer(MailerOptions.builder())) {
      SendReceipt r = m.send(invoice());
      assertThat(r.attempts()).isEqualTo(3);
      assertThat(provider.requests).extracting(SendRequest::attempt).containsExactly(1, 2, 3);
      assertThat(provider.requests).extracting(q -> q.email().idempotencyKey()).containsOnly(
          provider.requests.get(0).email().idempotencyKey());
    }
  }

  @Test
  void givesUpAfterMaxAttempts() {
    for (int i = 0; i < 5; i++) {
      provider.failures.add(transientFailure());
    }
    try (Mailer m = mailer(MailerOptions.builder().maxAttempts(2))) {
      SendException e = catchThrowableOfType(SendException.class, () -> m.send(invoice()));
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.getMessage()).endsWith("(after 2 attempts)");
      assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
      assertThat(provider.requests).hasSize(2);
    }
  }

  @Test
  void neverRetriesPermanentFailuresOrUnknownOutcomes() {
    provider.failures.add(Failure.builder(FailureCategory.AUTHENTICATION).code(535).build());
    provider.failures.add(Failure.builder(FailureCategory.OUTCOME_UNKNOWN).build());
    try (Mailer m = mailer(MailerOptions.builder())) {
      assertThat(catchThrowableOfType(SendException.class, () -> m.send(invoice())).attempts()).isEqualTo(1);
      assertThat(catchThrowableOfType(SendException.class, () -> m.send(invoice())).category())
          .isEqualTo(FailureCategory.OUTCOME_UNKNOWN);
      assertThat(provider.requests).hasSize(2);
    }
  }

  @Test
  void doesNotRetryWhenTheServerAsksToWaitLongerThanMaxBackoff() {
    provider.failures.add(Failure.builder(FailureCategory.RATE_LIMITED).transientFailure(true)
        .retryAfter(Duration.ofHours(1)).build());
    try (Mailer m = mailer(MailerOptions.builder())) {
      SendException e = catchThrowableOfType(SendException.class, () -> m.send(invoice()));
      assertThat(e.failure().retryAfter()).contains(Duration.ofHours(1));
      assertThat(provider.requests).hasSize(1);
    }
  }

  @Test
  void sendAsyncDeliversFailuresThroughTheFuture() throws Exception {
    provider.failures.add(Failure.builder(FailureCategory.RECIPIENT_REJECTED).code(550).build());
    try (Mailer m = mailer(MailerOptions.builder())) {
      CompletableFuture<SendReceipt> f = m.sendAsync(invoice());
      ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertThat(e.getCause()).isInstanceOf(SendException.class);
      assertThat(m.sendAsync(invoice()).get(10, TimeUnit.SECONDS).attempts()).isEqualTo(1);
      CompletableFuture<SendReceipt> nullEmail = m.sendAsync(null);
      assertThat(catchThrowableOfType(ExecutionException.class, nullEmail::get).getCause())
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void closeFailsQueuedSendsLoudlyAndClosesTheSender() throws Exception {
    provider.block = new CountDownLatch(1);
    Mailer m = mailer(MailerOptions.builder().closeTimeout(Duration.ofMillis(200)));
    CompletableFuture<SendReceipt> running = m.sendAsync(invoice());
    CompletableFuture<SendReceipt> queued = m.sendAsync(invoice());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (provider.requests.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    m.close();
    provider.block.countDown();
    assertThat(catchThrowableOfType(ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS)).getCause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the Mailer was closed before this email was sent; it was not sent");
    assertThat(running).succeedsWithin(Duration.ofSeconds(10));
    assertThat(provider.closed).isTrue();
    assertThatThrownBy(() -> m.send(invoice())).isInstanceOf(IllegalStateException.class)
        .hasMessage("this Mailer is closed");
    assertThat(catchThrowableOfType(ExecutionException.class, () -> m.sendAsync(invoice()).get()).getCause())
        .hasMessage("this Mailer is closed");
    m.close(); // idempotent
  }

  @Test
  void discoveryFindsTheOneProviderForTheProtocol(@TempDir Path dir) throws Exception {
    // registered only for this test, through the context class loader that discovery uses, so that no
    // other module's tests see a second HTTP sender
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(SenderProvider.class.getName()), DiscoveredHttpProvider.class.getName());
    EmailSettings http = EmailSettings.builder().protocol(Protocol.HTTP).httpServer("https://mail.example.com")
        .replyTo("office@acme.example").build();
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      t.setContextClassLoader(loader);
      try (Mailer m = Mailer.open(http)) {
        assertThat(m.settings()).isEqualTo(http);
      }
      assertThat(Mailer.discover(Protocol.HTTP).name()).isEqualTo("discovered-http");
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  @Test
  void discoveryNamesTheMissingArtifact() {
    assertThatThrownBy(() -> Mailer.open(settings())).isInstanceOf(IllegalStateException.class)
        .hasMessage("No sender for protocol SMTP was found on the class path or module path. Add the dependency"
            + " dev.mailroom:mailroom-smtp to your project.");
  }

  @Test
  void severalCandidatesWithoutAChoiceIsAnErrorListingThem() {
    ScriptedProvider a = new ScriptedProvider(Protocol.SMTP);
    ScriptedProvider b = new ScriptedProvider(Protocol.SMTP) {
      @Override
      public String name() {
        return "other";
      }
    };
    assertThatThrownBy(() -> Mailer.choose(Protocol.SMTP, List.of(a, b))).isInstanceOf(IllegalStateException.class)
        .hasMessage("Several senders for protocol SMTP were found: scripted, other. Choose one with"
            + " MailerOptions.builder().senderProvider(...).");
    assertThat(Mailer.choose(Protocol.SMTP, List.of(a, new ScriptedProvider(Protocol.HTTP)))).isSameAs(a);
  }

  @Test
  void explicitProviderMustMatchTheProtocol() {
    assertThatThrownBy(() -> Mailer.open(settings(), MailerOptions.builder()
        .senderProvider(new ScriptedProvider(Protocol.HTTP)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the chosen sender provider scripted sends HTTP, but the settings use SMTP");
  }
}
