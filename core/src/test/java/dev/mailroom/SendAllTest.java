package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.spi.ScriptedProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SendAllTest {
  final ScriptedProvider provider = new ScriptedProvider(Protocol.SMTP);

  Mailer mailer(int connections) {
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.acme.example").port(587)
        .username("billing@acme.example").password("pw").build();
    return Mailer.open(settings, MailerOptions.builder().senderProvider(provider).maxConnections(connections)
        .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build());
  }

  static List<Email> invoices(int n) {
    List<Email> emails = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      emails.add(Email.builder().to("customer" + i + "@customer.example").subject("Invoice INV-" + i)
          .text("Attached.").build());
    }
    return emails;
  }

  static Failure failure(FailureCategory c) {
    return Failure.builder(c).server("smtp.acme.example", 587).build();
  }

  @Test
  void returnsOneResultPerEmailInOrderAndReportsProgress() {
    List<Email> emails = invoices(60);
    List<BatchProgress> progress = new CopyOnWriteArrayList<>();
    List<SendResult> results;
    try (Mailer m = mailer(4)) {
      results = m.sendAll(emails, BatchOptions.builder().progress(progress::add).build());
    }
    assertThat(results).hasSize(60);
    for (int i = 0; i < 60; i++) {
      assertThat(results.get(i).index()).isEqualTo(i);
      assertThat(results.get(i).email()).isSameAs(emails.get(i));
      assertThat(results.get(i).sent()).isTrue();
      assertThat(results.get(i).receipt().orElseThrow().messageId())
          .isEqualTo("<" + emails.get(i).idempotencyKey() + ">");
    }
    assertThat(provider.requests).hasSize(60);
    assertThat(progress).hasSize(60);
    assertThat(progress).extracting(BatchProgress::left).isSortedAccordingTo((a, b) -> b - a);
    BatchProgress last = progress.get(progress.size() - 1);
    assertThat(last.done()).isTrue();
    assertThat(last.sent()).isEqualTo(60);
    assertThat(last.estimatedTimeLeft()).contains(Duration.ZERO);
    assertThat(progress.get(0).estimatedTimeLeft()).isPresent();
  }

  @Test
  void stopsEarlyWhenEveryEmailWouldFailTheSameWay() {
    for (int i = 0; i < 100; i++) {
      provider.failures.add(failure(FailureCategory.AUTHENTICATION));
    }
    List<SendResult> results;
    try (Mailer m = mailer(1)) {
      results = m.sendAll(invoices(50));
    }
    assertThat(provider.requests).hasSize(1); // one failed sign-in, not fifty
    assertThat(results.get(0).status()).isEqualTo(SendResult.Status.FAILED);
    assertThat(results.subList(1, 50)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(SendResult.Status.NOT_ATTEMPTED);
      assertThat(r.failure().orElseThrow().category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(r.failure().orElseThrow().hint(Locale.ENGLISH)).contains("after email 1 failed");
    });
    assertThat(results.get(1).failure().orElseThrow().hint(Locale.forLanguageTag("bn"))).contains("1");
    assertThat(SendResult.notSent(results)).hasSize(50);
  }

  @Test
  void withConcurrencyOnlyTheEmailsInFlightAreAttemptedAfterAStop() {
    for (int i = 0; i < 100; i++) {
      provider.failures.add(failure(FailureCategory.CONFIGURATION));
    }
    List<SendResult> results;
    try (Mailer m = mailer(4)) {
      results = m.sendAll(invoices(200));
    }
    assertThat(provider.requests.size()).isLessThanOrEqualTo(4);
    assertThat(results).hasSize(200);
    assertThat(results).filteredOn(r -> r.status() == SendResult.Status.NOT_ATTEMPTED).hasSizeGreaterThan(190);
  }

  @Test
  void anUnknownOutcomeIsNeverRetriedNorOfferedForAReRun() {
    provider.failures.add(Failure.builder(FailureCategory.OUTCOME_UNKNOWN).transientFailure(true).build());
    List<Email> emails = invoices(3);
    List<SendResult> results;
    try (Mailer m = mailer(1)) {
      results = m.sendAll(emails);
    }
    assertThat(results.get(0).outcomeUnknown()).isTrue();
    assertThat(provider.requests).hasSize(3); // the first was tried once only
    assertThat(SendResult.notSent(results)).isEmpty();
  }

  @Test
  void reRunsOnlyTheFailedOnesWithTheSameIdempotencyKeys() {
    List<Email> emails = invoices(10);
    List<SendResult> first;
    try (Mailer m = mailer(1)) {
      provider.failures.add(failure(FailureCategory.RECIPIENT_REJECTED)); // email 0
      first = m.sendAll(emails);
      List<Email> again = SendResult.notSent(first);
      assertThat(again).containsExactly(emails.get(0));
      List<SendResult> second = m.sendAll(again);
      assertThat(second.get(0).sent()).isTrue();
    }
    // every email was accepted exactly once: the re-run sent only the failed one, with its own key
    List<String> keys = provider.requests.stream().map(r -> r.email().idempotencyKey()).toList();
    assertThat(keys).hasSize(11);
    assertThat(keys.get(10)).isEqualTo(emails.get(0).idempotencyKey());
  }

  @Test
  void aMailerClosedDuringTheBatchLeavesTheRestReportedNotSent() {
    List<SendResult> results;
    Mailer m = mailer(1);
    results = m.sendAll(invoices(20), BatchOptions.builder().progress(p -> {
      if (p.sent() == 5) {
        m.close();
      }
    }).build());
    assertThat(results).hasSize(20);
    assertThat(results).filteredOn(SendResult::sent).hasSize(5);
    assertThat(results.subList(5, 20)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(SendResult.Status.NOT_ATTEMPTED);
      assertThat(r.failure().orElseThrow().hintKey()).isEqualTo("hint.batch.not-sent");
    });
  }

  @Test
  void refusesNullEmailsBeforeSendingAnything() {
    List<Email> emails = new ArrayList<>(invoices(2));
    emails.add(null);
    try (Mailer m = mailer(1)) {
      assertThatThrownBy(() -> m.sendAll(emails)).isInstanceOf(NullPointerException.class).hasMessage("emails[2]");
    }
    assertThat(provider.requests).isEmpty();
  }
}
