package dev.mailroom;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a batch ({@link Mailer#sendAll(java.util.List, BatchOptions)}) has come; given to
 * {@link BatchOptions.Builder#progress(java.util.function.Consumer)} after every email.
 *
 * @param total the emails in the batch
 * @param sent how many were sent
 * @param failed how many failed or, once the batch stopped, will not be attempted
 * @param left how many are still to be sent or in flight
 * @param elapsed the time since the batch started
 * @param estimatedTimeLeft the time the rest should take at the rate so far; empty before the first email
 *     is done
 */
public record BatchProgress(int total, int sent, int failed, int left, Duration elapsed,
    Optional<Duration> estimatedTimeLeft) {

  /**
   * Validates the components.
   *
   * @param total see the record component
   * @param sent see the record component
   * @param failed see the record component
   * @param left see the record component
   * @param elapsed see the record component
   * @param estimatedTimeLeft see the record component
   * @throws IllegalArgumentException if the counts do not add up
   */
  public BatchProgress {
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(estimatedTimeLeft, "estimatedTimeLeft");
    if (sent < 0 || failed < 0 || left < 0 || sent + failed + left != total) {
      throw new IllegalArgumentException("sent + failed + left must be total: " + sent + " + " + failed + " + "
          + left + " != " + total);
    }
  }

  /**
   * Tells whether every email has a result.
   *
   * @return true when nothing is left
   */
  public boolean done() {
    return left == 0;
  }
}
