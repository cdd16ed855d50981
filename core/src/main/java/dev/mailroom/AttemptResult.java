package dev.mailroom;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt ended.
 *
 * @param attempt the attempt
 * @param failure why it failed, or empty when the server accepted the message
 * @param duration the time the attempt took, waiting for the sending limits not included
 * @param timings where that time went, as far as the sender measured it
 */
public record AttemptResult(AttemptEvent attempt, Optional<Failure> failure, Duration duration,
    AttemptTimings timings) {

  /**
   * Validates the components.
   *
   * @param attempt see the record component
   * @param failure see the record component
   * @param duration see the record component
   * @param timings see the record component
   */
  public AttemptResult {
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(timings, "timings");
  }

  /**
   * Tells whether the server accepted the message in this attempt.
   *
   * @return true when {@link #failure()} is empty
   */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
