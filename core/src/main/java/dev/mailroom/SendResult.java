package dev.mailroom;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one email of a batch ({@link Mailer#sendAll(List)}): sent with its receipt, failed with
 * its {@link Failure}, or not attempted because the batch stopped first.
 *
 * @param index the email's position in the batch, from 0
 * @param email the email, the same object that was passed in (so its {@link Email#idempotencyKey()} is
 *     the same when it is sent again)
 * @param status sent, failed or not attempted
 * @param receipt the receipt, present exactly when {@link Status#SENT}
 * @param failure why it was not sent, present exactly when not {@link Status#SENT}
 */
public record SendResult(int index, Email email, Status status, Optional<SendReceipt> receipt,
    Optional<Failure> failure) {

  /** What became of an email. */
  public enum Status {
    /** The server accepted it. */
    SENT,
    /**
     * It was attempted and failed. With {@link FailureCategory#OUTCOME_UNKNOWN} it may have been delivered
     * all the same.
     */
    FAILED,
    /** It was never handed to a server: the batch stopped, or the mailer was closed, before its turn. */
    NOT_ATTEMPTED
  }

  /**
   * Validates the components.
   *
   * @param index see the record component
   * @param email see the record component
   * @param status see the record component
   * @param receipt see the record component
   * @param failure see the record component
   * @throws IllegalArgumentException if the receipt and failure do not match the status
   */
  public SendResult {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(failure, "failure");
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
    if ((status == Status.SENT) != receipt.isPresent() || (status == Status.SENT) == failure.isPresent()) {
      throw new IllegalArgumentException("a " + status + " result needs " + (status == Status.SENT
          ? "a receipt and no failure" : "a failure and no receipt"));
    }
  }

  /**
   * Tells whether the server accepted the email.
   *
   * @return true when {@link Status#SENT}
   */
  public boolean sent() {
    return status == Status.SENT;
  }

  /**
   * Tells whether the email may have been delivered although it is not reported sent: the connection was
   * lost after it was handed over ({@link FailureCategory#OUTCOME_UNKNOWN}). Sending it again could
   * deliver it twice; check with the recipient or the provider first.
   *
   * @return true for an unknown outcome
   */
  public boolean outcomeUnknown() {
    return failure.map(f -> f.category() == FailureCategory.OUTCOME_UNKNOWN).orElse(false);
  }

  /**
   * Returns the emails of a batch that were certainly not delivered (failed or not attempted, without the
   * unknown outcomes), in order: pass them to {@link Mailer#sendAll(List)} again to re-run only those.
   * They are the same {@link Email} objects, with the same idempotency keys and so the same message ids.
   *
   * @param results the results of a batch
   * @return the emails to send again
   */
  public static List<Email> notSent(List<SendResult> results) {
    return results.stream().filter(r -> !r.sent() && !r.outcomeUnknown()).map(SendResult::email).toList();
  }
}
