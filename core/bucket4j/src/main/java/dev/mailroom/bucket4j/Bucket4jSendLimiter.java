package dev.mailroom.bucket4j;

import dev.mailroom.SendLimiter;
import dev.mailroom.SendingLimits;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A {@link SendLimiter} on Bucket4j token buckets, so that several application instances sending through
 * one mailbox share its {@link SendingLimits}: back the buckets with one of Bucket4j's distributed
 * backends (Redis, Hazelcast, JCache, JDBC) through its {@code ProxyManager}.
 *
 * <pre>{@code
 * ProxyManager<String> buckets = ...; // e.g. Bucket4j's Lettuce or PostgreSQL proxy manager
 * SendLimiter shared = Bucket4jSendLimiter.of(Presets.OFFICE365.limits(),
 *     (name, configuration) -> buckets.builder().build("mailroom:billing@acme.example:" + name,
 *         () -> configuration));
 * Mailer mailer = Mailer.open(settings, MailerOptions.builder().limiter(shared).build());
 * }</pre>
 *
 * <p>One bucket per limit, named {@value #MESSAGES_PER_MINUTE}, {@value #MESSAGES_PER_DAY} and
 * {@value #RECIPIENTS_PER_DAY}:
 * <ul>
 *   <li>messages per minute are paced evenly (one every 60/N seconds, at most N in any minute): each
 *       caller reserves the next slot ({@code consumeIgnoringRateLimits}) and waits for it, so callers on
 *       every instance are served in the order they asked;</li>
 *   <li>daily limits are quotas of N refilled every 24 hours; a send that would exceed one is refused at
 *       once with the time Bucket4j says tokens come back. Bucket4j counts per interval, not over the
 *       rolling 24 hours that some providers (Microsoft 365) count: the in-memory
 *       {@link SendLimiter#of(SendingLimits)} is exact; with this adapter, set a somewhat lower daily limit
 *       for such providers.</li>
 * </ul>
 *
 * <p>Recipients per message are checked by the {@code Mailer} itself. Thread-safe.
 */
public final class Bucket4jSendLimiter implements SendLimiter {
  /** Name of the bucket that paces messages per minute. */
  public static final String MESSAGES_PER_MINUTE = "messages-per-minute";
  /** Name of the bucket of the daily message quota. */
  public static final String MESSAGES_PER_DAY = "messages-per-day";
  /** Name of the bucket of the daily recipient quota. */
  public static final String RECIPIENTS_PER_DAY = "recipients-per-day";

  private static final Duration DAY = Duration.ofDays(1);

  private final SendingLimits limits;
  private final Bucket perMinute;
  private final Bucket messagesPerDay;
  private final Bucket recipientsPerDay;

  private Bucket4jSendLimiter(SendingLimits limits, BiFunction<String, BucketConfiguration, Bucket> buckets) {
    this.limits = limits;
    this.perMinute = limits.messagesPerMinute().isPresent()
        ? bucket(buckets, MESSAGES_PER_MINUTE, paced(limits.messagesPerMinute().getAsInt())) : null;
    this.messagesPerDay = limits.messagesPerDay().isPresent()
        ? bucket(buckets, MESSAGES_PER_DAY, daily(limits.messagesPerDay().getAsInt())) : null;
    this.recipientsPerDay = limits.recipientsPerDay().isPresent()
        ? bucket(buckets, RECIPIENTS_PER_DAY, daily(limits.recipientsPerDay().getAsInt())) : null;
  }

  /**
   * Creates a limiter whose buckets the application provides, typically from a distributed
   * {@code ProxyManager}.
   *
   * @param limits the limits to keep
   * @param buckets gives the bucket for a name ({@value #MESSAGES_PER_MINUTE}, {@value #MESSAGES_PER_DAY},
   *     {@value #RECIPIENTS_PER_DAY}) and the configuration it must have when it is first created
   * @return the limiter
   * @throws IllegalStateException if {@code buckets} returns null
   */
  public static Bucket4jSendLimiter of(SendingLimits limits, BiFunction<String, BucketConfiguration, Bucket> buckets) {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(buckets, "buckets");
    return new Bucket4jSendLimiter(limits, buckets);
  }

  /**
   * Creates a limiter on Bucket4j's in-memory buckets (one application instance).
   *
   * @param limits the limits to keep
   * @return the limiter
   */
  public static Bucket4jSendLimiter inMemory(SendingLimits limits) {
    return inMemory(limits, TimeMeter.SYSTEM_MILLISECONDS);
  }

  /**
   * Creates a limiter on Bucket4j's in-memory buckets that read the time from {@code time} (tests pass a
   * time they move by hand).
   *
   * @param limits the limits to keep
   * @param time the time source
   * @return the limiter
   */
  public static Bucket4jSendLimiter inMemory(SendingLimits limits, TimeMeter time) {
    Objects.requireNonNull(time, "time");
    return of(limits, (name, configuration) -> {
      var builder = Bucket.builder().withCustomTimePrecision(time);
      for (Bandwidth b : configuration.getBandwidths()) {
        builder.addLimit(b);
      }
      return builder.build();
    });
  }

  @Override
  public Reservation reserve(int recipients) {
    if (recipients < 1) {
      throw new IllegalArgumentException("recipients must be at least 1: " + recipients);
    }
    if (recipientsPerDay != null && recipients > limits.recipientsPerDay().getAsInt()) {
      return Reservation.refused(DAY, limits.recipientsPerDay().getAsInt() + " recipients per day");
    }
    if (messagesPerDay != null) {
      ConsumptionProbe probe = messagesPerDay.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        return refused(probe, limits.messagesPerDay().getAsInt() + " messages per day");
      }
    }
    if (recipientsPerDay != null) {
      ConsumptionProbe probe = recipientsPerDay.tryConsumeAndReturnRemaining(recipients);
      if (!probe.isConsumed()) {
        if (messagesPerDay != null) {
          messagesPerDay.addTokens(1); // nothing goes out: give the message back
        }
        return refused(probe, limits.recipientsPerDay().getAsInt() + " recipients per day");
      }
    }
    if (perMinute != null) {
      long nanos = perMinute.consumeIgnoringRateLimits(1); // the next slot, taken: wait for it
      return Reservation.after(Duration.ofNanos(Math.max(0, nanos)),
          limits.messagesPerMinute().getAsInt() + " messages per minute");
    }
    return Reservation.now();
  }

  @Override
  public String toString() {
    return "Bucket4jSendLimiter[" + limits + "]";
  }

  private static Reservation refused(ConsumptionProbe probe, String limit) {
    return Reservation.refused(Duration.ofNanos(Math.max(1_000_000, probe.getNanosToWaitForRefill())), limit);
  }

  /** One token every 60/N seconds, at most one stored: even pacing, never more than N in a minute. */
  private static BucketConfiguration paced(int perMinute) {
    Duration every = Duration.ofNanos(Duration.ofMinutes(1).toNanos() / perMinute);
    return BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(1).refillIntervally(1, every).build())
        .build();
  }

  private static BucketConfiguration daily(int perDay) {
    return BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(perDay).refillIntervally(perDay, DAY).build())
        .build();
  }

  private static Bucket bucket(BiFunction<String, BucketConfiguration, Bucket> buckets, String name,
      BucketConfiguration configuration) {
    Bucket b = buckets.apply(name, configuration);
    if (b == null) {
      throw new IllegalStateException("the bucket function returned no bucket for " + name);
    }
    return b;
  }
}
