package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.SendLimiter.Reservation;
import dev.mailroom.spi.ScriptedProvider;
import dev.mailroom.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendingLimitsTest {
  final ManualClock clock = new ManualClock();
  final ScriptedProvider provider = new ScriptedProvider(Protocol.SMTP);

  @Test
  void presetsCarryThePublishedLimitsWithTheirSource() {
    SendingLimits m365 = Presets.OFFICE365.limits();
    assertThat(m365.messagesPerMinute()).hasValue(30);
    assertThat(m365.recipientsPerDay()).hasValue(10_000);
    assertThat(m365.recipientsPerMessage()).hasValue(500);
    assertThat(m365.source()).hasValueSatisfying(s -> assertThat(s).startsWith("https://learn.microsoft.com/"));
    assertThat(Presets.GMAIL.limits().recipientsPerDay()).hasValue(500);
    assertThat(SendingLimits.GOOGLE_WORKSPACE.messagesPerDay()).hasValue(2_000);
    for (ProviderPreset p : Presets.all()) {
      if (!p.limits().isNone()) {
        assertThat(p.limits().source()).as(p.id()).hasValueSatisfying(s -> assertThat(s).startsWith("https://"));
      }
    }
    assertThat(m365).hasToString("30 messages per minute, 500 recipients per message, 10000 recipients per day");
  }

  @Test
  void limitsSayWhichValueIsWrong() {
    assertThatThrownBy(() -> SendingLimits.builder().messagesPerMinute(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("messagesPerMinute must be at least 1: 0");
  }

  @Test
  void pacesToAtMostNMessagesInAnyMinute() {
    SendLimiter limiter = SendLimiter.of(SendingLimits.builder().messagesPerMinute(3).build(), clock);
    assertThat(limiter.reserve(1)).isEqualTo(Reservation.now());
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.reserve(1).delay()).isZero();
    assertThat(limiter.reserve(1).delay()).isZero();
    Reservation fourth = limiter.reserve(1);
    assertThat(fourth.granted()).isTrue();
    assertThat(fourth.delay()).isEqualTo(Duration.ofSeconds(50)); // 60 s after the first
    assertThat(fourth.limit()).isEqualTo("3 messages per minute");
    // the next caller queues behind the fourth, never before it
    assertThat(limiter.reserve(1).delay()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void concurrentCallersShareTheSlotsFairly() throws Exception {
    SendLimiter limiter = SendLimiter.of(SendingLimits.builder().messagesPerMinute(10).build(), clock);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Duration>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return limiter.reserve(1).delay();
        }));
      }
      go.countDown();
      List<Long> minutes = new ArrayList<>();
      for (Future<Duration> f : futures) {
        minutes.add(f.get(10, TimeUnit.SECONDS).toMinutes());
      }
      // every slot taken exactly once: 10 now, 10 a minute later, ...
      for (long m = 0; m < 4; m++) {
        assertThat(Collections.frequency(minutes, m)).as("minute " + m).isEqualTo(10);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesWhatWouldExceedADailyLimitAndSaysWhenItMayGo() {
    SendLimiter limiter = SendLimiter.of(SendingLimits.builder().recipientsPerDay(10).messagesPerDay(5).build(),
        clock);
    assertThat(limiter.reserve(6).granted()).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.reserve(3).granted()).isTrue();
    Reservation refused = limiter.reserve(2);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.limit()).isEqualTo("10 recipients per day");
    assertThat(refused.delay()).isEqualTo(Duration.ofHours(23)); // when the first 6 age out
    assertThat(limiter.reserve(1).granted()).isTrue(); // one more still fits
    clock.advance(Duration.ofHours(23));
    assertThat(limiter.reserve(2).granted()).isTrue();
  }

  Mailer mailer(MailerOptions.Builder options) {
    EmailSettings settings = EmailSettings.builder().preset(Presets.OFFICE365).username("billing@acme.example")
        .password("pw").build();
    return Mailer.open(settings, options.senderProvider(provider).clock(clock).build());
  }

  @Test
  void aSendOverTheDailyCapFailsAtOnceWithTheTimeItMayGo() throws SendException {
    try (Mailer m = mailer(MailerOptions.builder().limits(SendingLimits.builder().recipientsPerDay(2).build()))) {
      m.send(Email.builder().to("a@customer.example").build());
      m.send(Email.builder().to("b@customer.example").build());
      clock.advance(Duration.ofHours(3));
      SendException e = catchThrowableOfType(() -> m.send(Email.builder().to("c@customer.example").build()),
          SendException.class);
      assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
      assertThat(e.isTransient()).isTrue();
      assertThat(e.failure().retryAfter()).contains(Duration.ofHours(21));
      assertThat(e.getMessage()).contains("2 recipients per day").contains("2026-12-02T08:00:00Z")
          .contains("was not sent");
      assertThat(e.hint(Locale.ENGLISH)).contains("2026-12-02T08:00:00Z").contains("smtp.office365.com");
      assertThat(e.hint(Locale.forLanguageTag("bn"))).contains("2026-12-02T08:00:00Z").isNotEqualTo(
          e.hint(Locale.ENGLISH));
      assertThat(e.hint(Locale.forLanguageTag("sw"))).contains("2026-12-02T08:00:00Z").isNotEqualTo(
          e.hint(Locale.ENGLISH));
      assertThat(provider.requests).hasSize(2); // the server never saw the third
    }
  }

  @Test
  void moreRecipientsThanTheProviderTakesInOneMessageFailBeforeSending() {
    List<String> to = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      to.add("r" + i + "@customer.example");
    }
    try (Mailer m = mailer(MailerOptions.builder())) {
      SendException e = catchThrowableOfType(() -> m.send(Email.builder().to(to.toArray(String[]::new)).build()),
          SendException.class);
      assertThat(e.category()).isEqualTo(FailureCategory.MESSAGE_REJECTED);
      assertThat(e.isTransient()).isFalse();
      assertThat(e.failure().hintKey()).isEqualTo("hint.limit.recipients-per-message");
      assertThat(e.hint(Locale.ENGLISH)).contains("at most 500");
      assertThat(e.hint(Locale.forLanguageTag("sw"))).contains("500").startsWith("Barua pepe hii");
      assertThat(provider.requests).isEmpty();
    }
  }

  @Test
  void aMailerWaitsForItsSlotOnItsClock() throws Exception {
    try (Mailer m = mailer(MailerOptions.builder().limits(SendingLimits.builder().messagesPerMinute(2).build()))) {
      m.send(Email.builder().to("a@customer.example").build());
      m.send(Email.builder().to("b@customer.example").build());
      Thread third = new Thread(() -> {
        try {
          m.send(Email.builder().to("c@customer.example").build());
        } catch (SendException e) {
          throw new AssertionError(e);
        }
      });
      third.start();
      // the third send waits for a slot a minute after the first; only moving the clock lets it go
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (third.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertThat(third.getState()).isEqualTo(Thread.State.TIMED_WAITING);
      assertThat(provider.requests).hasSize(2);
      clock.advance(Duration.ofSeconds(60));
      third.join(10_000);
      assertThat(third.isAlive()).isFalse();
      assertThat(provider.requests).hasSize(3);
    }
  }

  @Test
  void anApplicationsOwnLimiterIsUsed() throws SendException {
    List<Integer> asked = Collections.synchronizedList(new ArrayList<>());
    SendLimiter shared = recipients -> {
      asked.add(recipients);
      return asked.size() > 1 ? Reservation.refused(Duration.ofMinutes(5), "1 message per day (shared)")
          : Reservation.now();
    };
    try (Mailer m = mailer(MailerOptions.builder().limiter(shared))) {
      m.send(Email.builder().to("a@customer.example").cc("b@customer.example").build());
      SendException e = catchThrowableOfType(() -> m.send(Email.builder().to("c@customer.example").build()),
          SendException.class);
      assertThat(e.failure().retryAfter()).contains(Duration.ofMinutes(5));
      assertThat(e.getMessage()).contains("1 message per day (shared)");
    }
    assertThat(asked).containsExactly(2, 1);
  }
}
