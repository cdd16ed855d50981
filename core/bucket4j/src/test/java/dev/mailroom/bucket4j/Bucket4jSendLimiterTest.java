package dev.mailroom.bucket4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.FailureCategory;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.SendLimiter;
import dev.mailroom.SendLimiter.Reservation;
import dev.mailroom.SendingLimits;
import dev.mailroom.testing.StubSenderProvider;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class Bucket4jSendLimiterTest {
  /** Bucket4j's time, moved by hand. */
  static final class ManualTime implements TimeMeter {
    final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(20_000));

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    @Override
    public long currentTimeNanos() {
      return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  final ManualTime time = new ManualTime();

  @Test
  void pacesMessagesEvenlyAndServesCallersInTheOrderTheyAsked() {
    SendLimiter limiter = Bucket4jSendLimiter.inMemory(SendingLimits.builder().messagesPerMinute(30).build(), time);
    assertThat(limiter.reserve(1)).isEqualTo(Reservation.now());
    Reservation second = limiter.reserve(1);
    assertThat(second.granted()).isTrue();
    assertThat(second.delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(second.limit()).isEqualTo("30 messages per minute");
    assertThat(limiter.reserve(1).delay()).isEqualTo(Duration.ofSeconds(4));
    time.advance(Duration.ofSeconds(4));
    assertThat(limiter.reserve(1).delay()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void concurrentCallersEachGetTheirOwnSlot() throws Exception {
    SendLimiter limiter = Bucket4jSendLimiter.inMemory(SendingLimits.builder().messagesPerMinute(60).build(), time);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Duration>> futures = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return limiter.reserve(1).delay();
        }));
      }
      go.countDown();
      List<Long> seconds = new ArrayList<>();
      for (Future<Duration> f : futures) {
        seconds.add(f.get(10, TimeUnit.SECONDS).toSeconds());
      }
      Collections.sort(seconds);
      for (int i = 0; i < 30; i++) {
        assertThat(seconds.get(i)).isEqualTo(i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesWhatWouldExceedTheDailyQuotaAndSaysWhenTokensComeBack() {
    SendLimiter limiter = Bucket4jSendLimiter.inMemory(
        SendingLimits.builder().recipientsPerDay(10).messagesPerDay(3).build(), time);
    assertThat(limiter.reserve(8).granted()).isTrue();
    time.advance(Duration.ofHours(4));
    Reservation refused = limiter.reserve(3);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.limit()).isEqualTo("10 recipients per day");
    assertThat(refused.delay()).isEqualTo(Duration.ofHours(20));
    // the refused message was given back to the message quota: two more messages still fit
    assertThat(limiter.reserve(1).granted()).isTrue();
    assertThat(limiter.reserve(1).granted()).isTrue();
    Reservation third = limiter.reserve(0 + 1);
    assertThat(third.granted()).isFalse();
    assertThat(third.limit()).isEqualTo("3 messages per day");
  }

  @Test
  void aMailerSharingTheLimiterFailsAtOnceWithRateLimited() throws SendException {
    StubSenderProvider provider = new StubSenderProvider();
    SendLimiter shared = Bucket4jSendLimiter.inMemory(SendingLimits.builder().messagesPerDay(1).build(), time);
    EmailSettings settings = EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.acme.example").port(587)
        .username("billing@acme.example").password("pw").build();
    MailerOptions options = MailerOptions.builder().senderProvider(provider).limiter(shared).build();
    try (Mailer one = Mailer.open(settings, options); Mailer two = Mailer.open(settings, options)) {
      one.send(Email.builder().to("a@customer.example").build());
      SendException e = catchThrowableOfType(() -> two.send(Email.builder().to("b@customer.example").build()),
          SendException.class);
      assertThat(e.category()).isEqualTo(FailureCategory.RATE_LIMITED);
      assertThat(e.failure().retryAfter()).contains(Duration.ofDays(1));
    }
    assertThat(provider.accepted).hasValue(1);
  }
}
