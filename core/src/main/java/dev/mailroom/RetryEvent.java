package dev.mailroom;

import java.time.Duration;
import java.util.Objects;

/**
 * A failed attempt will be followed by another one.
 *
 * @param attempt the attempt that failed
 * @param delay how long the mailer waits before the next attempt ({@link Duration#ZERO} when it moves to
 *     the next transport at once)
 * @param reason why the attempt failed
 * @param nextTransport the transport the next attempt goes through
 */
public record RetryEvent(AttemptEvent attempt, Duration delay, Failure reason, Transport nextTransport) {

  /**
   * Validates the components.
   *
   * @param attempt see the record component
   * @param delay see the record component
   * @param reason see the record component
   * @param nextTransport see the record component
   */
  public RetryEvent {
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(nextTransport, "nextTransport");
  }
}
