package dev.mailroom.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.BatchOptions;
import dev.mailroom.BatchProgress;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.SendResult;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.ScriptedSmtpServer.ReceivedMessage;
import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A month-end batch through a fault-injecting server: every {@code faultEvery}-th finished email queues
 * one fault for the next transaction (a 451 at MAIL, a 550 at RCPT, a 421 at DATA, or a dropped connection
 * after the final dot), cycling. Checked at the receiver by Message-ID: every email is delivered exactly
 * once or reported failed; an unknown outcome is delivered at most once; nothing is lost or duplicated.
 */
final class BatchRun {
  final int emails;
  final int connections;
  final int faultEvery;
  long wallNanos;
  int sent;
  int failed;
  int notAttempted;
  int unknown;
  int faultsInjected;
  int retried;
  int progressCalls;
  final Map<FailureCategory, Integer> failures = new EnumMap<>(FailureCategory.class);

  BatchRun(int emails, int connections, int faultEvery) {
    this.emails = emails;
    this.connections = connections;
    this.faultEvery = faultEvery;
  }

  static Email invoice(int i) {
    return Email.builder().to("customer" + i + "@customer.test").subject("Invoice INV-" + i)
        .text("Dear customer, please find invoice INV-" + i + " attached.").messageId("inv-" + i + "@acme.test")
        .build();
  }

  /** Runs the batch against {@code smtp} and checks the receiver's count; returns this with the figures. */
  BatchRun run(FaultySmtpServer smtp) {
    List<Email> batch = new ArrayList<>();
    for (int i = 0; i < emails; i++) {
      batch.add(invoice(i));
    }
    EmailSettings settings = smtp.settingsBuilder().readTimeout(Duration.ofSeconds(10)).build();
    MailerOptions options = MailerOptions.builder().maxConnections(connections).initialBackoff(Duration.ofMillis(5))
        .maxBackoff(Duration.ofMillis(50)).build();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger faults = new AtomicInteger();
    Consumer<BatchProgress> progress = p -> {
      progressCalls++; // called one at a time
      if (faultEvery > 0 && done.incrementAndGet() % faultEvery == 0 && p.left() > connections) {
        switch (faults.getAndIncrement() % 4) {
          case 0 -> smtp.failNext(Step.MAIL, "451 4.3.0 Temporary local problem, try again");
          case 1 -> smtp.failNext(Step.RCPT, "550 5.1.1 No such user here");
          case 2 -> smtp.failNext(Step.DATA, "421 4.7.0 Try again later, closing connection");
          default -> smtp.dropNext(Step.MESSAGE);
        }
      }
    };
    List<SendResult> results;
    long start = System.nanoTime();
    try (Mailer mailer = Mailer.open(settings, options)) {
      results = mailer.sendAll(batch, BatchOptions.builder().progress(progress).build());
    }
    wallNanos = System.nanoTime() - start;
    faultsInjected = faults.get();

    // the receiver's count, by Message-ID: every message that reached the final dot, answered or not
    Map<String, Integer> deliveries = new HashMap<>();
    for (ReceivedMessage m : smtp.scripted().messages()) {
      deliveries.merge(m.header("Message-ID").orElse("?").strip().replaceAll("^<|>$", ""), 1, Integer::sum);
    }
    assertThat(results).hasSize(emails);
    for (int i = 0; i < emails; i++) {
      SendResult r = results.get(i);
      assertThat(r.index()).isEqualTo(i);
      int delivered = deliveries.getOrDefault("inv-" + i + "@acme.test", 0);
      switch (r.status()) {
        case SENT -> {
          sent++;
          assertThat(delivered).as("email %d sent", i).isEqualTo(1);
          if (r.receipt().orElseThrow().attempts() > 1) {
            retried++;
          }
        }
        case FAILED -> {
          failed++;
          FailureCategory c = r.failure().orElseThrow().category();
          failures.merge(c, 1, Integer::sum);
          if (c == FailureCategory.OUTCOME_UNKNOWN) {
            unknown++;
            assertThat(delivered).as("email %d, unknown outcome", i).isLessThanOrEqualTo(1);
          } else {
            assertThat(delivered).as("email %d failed", i).isZero();
          }
        }
        case NOT_ATTEMPTED -> {
          notAttempted++;
          assertThat(delivered).as("email %d not attempted", i).isZero();
        }
      }
    }
    assertThat(deliveries.values()).as("no email delivered twice").allMatch(n -> n == 1);
    assertThat(deliveries.size()).as("nothing delivered that the batch does not know")
        .isLessThanOrEqualTo(sent + unknown);
    return this;
  }

  String figures() {
    double seconds = wallNanos / 1e9;
    return String.format(Locale.ROOT, "%d emails, %d connections, %d faults injected: %.2f s wall, %.0f emails/s;"
        + " sent %d (%d after a retry), failed %d %s (outcome unknown %d), not attempted %d; lost 0, duplicated 0",
        emails, connections, faultsInjected, seconds, emails / seconds, sent, retried, failed, failures, unknown,
        notAttempted);
  }
}
