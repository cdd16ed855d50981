package dev.mailroom;

import dev.mailroom.internal.WindowLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides when a {@link Mailer} may send the next message so that the account stays within its
 * {@link SendingLimits}. The built-in one ({@link #of(SendingLimits)}) keeps its counts in memory, for one
 * application instance; several instances sharing one mailbox implement this interface on a shared store,
 * e.g. with the {@code mailroom-bucket4j} adapter (Bucket4j's Redis, Hazelcast, JCache or JDBC backends).
 *
 * <p>Implementations must be thread-safe and fair: concurrent callers get the free slots in the order
 * they asked, and each granted reservation takes its slot, so that the waits add up to the limit.
 */
@FunctionalInterface
public interface SendLimiter {

  /** A limiter that never waits and never refuses. */
  SendLimiter UNLIMITED = recipients -> Reservation.now();

  /**
   * Reserves a slot for one message with the given number of envelope recipients.
   *
   * @param recipients the message's envelope recipients, at least 1
   * @return go now, go after a wait (the slot is already reserved), or refused until a later time
   */
  Reservation reserve(int recipients);

  /**
   * Returns an in-memory limiter on the system clock.
   *
   * @param limits the limits
   * @return the limiter
   */
  static SendLimiter of(SendingLimits limits) {
    return of(limits, Clock.systemUTC());
  }

  /**
   * Returns an in-memory limiter that reads the time from the given clock (tests pass a clock they move).
   * Per-minute limits are paced exactly (at most N messages in any 60 seconds); daily limits count a
   * rolling 24 hours and refuse what would exceed them.
   *
   * @param limits the limits
   * @param clock the clock
   * @return the limiter
   */
  static SendLimiter of(SendingLimits limits, Clock clock) {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    return limits.isNone() ? UNLIMITED : new WindowLimiter(limits, clock);
  }

  /**
   * The answer of a {@link SendLimiter}.
   *
   * @param granted true: the message may go after {@link #delay()}; false: it must not go before
   *     {@link #delay()} has passed, because a daily limit is reached
   * @param delay how long to wait before sending (granted), or until sending may go again (refused)
   * @param limit the limit that caused the wait or refusal, in words (e.g. {@code 10000 recipients per
   *     day}); empty when none
   */
  record Reservation(boolean granted, Duration delay, String limit) {
    private static final Reservation NOW = new Reservation(true, Duration.ZERO, "");

    /**
     * Validates the components.
     *
     * @param granted see the record component
     * @param delay see the record component
     * @param limit see the record component
     * @throws IllegalArgumentException if the delay is negative
     */
    public Reservation {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(limit, "limit");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
    }

    /**
     * Returns "go now".
     *
     * @return the reservation
     */
    public static Reservation now() {
      return NOW;
    }

    /**
     * Returns "go after a wait": the slot is reserved.
     *
     * @param delay the wait
     * @param limit the limit that makes the caller wait
     * @return the reservation
     */
    public static Reservation after(Duration delay, String limit) {
      return delay.isZero() ? NOW : new Reservation(true, delay, limit);
    }

    /**
     * Returns a refusal: a daily limit is reached; nothing was reserved.
     *
     * @param retryAfter when sending may go again, from now
     * @param limit the limit, in words
     * @return the refusal
     */
    public static Reservation refused(Duration retryAfter, String limit) {
      return new Reservation(false, retryAfter, limit);
    }
  }
}
