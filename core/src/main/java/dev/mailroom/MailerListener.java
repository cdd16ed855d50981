package dev.mailroom;

import java.util.List;

/**
 * Sees what a {@link Mailer} does, for metrics, tracing and logs: set one with
 * {@link MailerOptions.Builder#listener(MailerListener)}. Modelled on OkHttp's {@code EventListener}.
 *
 * <pre>{@code
 * MailerListener listener = new MailerListener() {
 *   @Override
 *   public void sendFailed(SendEvent send, Failure failure) {
 *     log.warn("email {} failed: {}", send.idempotencyKey(), failure.category());
 *   }
 * };
 * Mailer mailer = Mailer.open(settings, MailerOptions.builder().listener(listener).build());
 * }</pre>
 *
 * <p>For one send the events come in this order: {@link #sendStarted}, then per attempt
 * {@link #attemptStarted} and {@link #attemptFinished} (with {@link #retryScheduled} between a failed
 * attempt and the next one), then either {@link #sendSucceeded} or {@link #sendFailed}. Connection events
 * come from the senders whenever a connection is opened or closed, also outside a send (an idle
 * connection closed).
 *
 * <p>Every method has an empty default, so a listener overrides only what it needs. Methods are called on
 * the sending thread, possibly from several threads at once: implementations must be thread-safe and
 * quick. A listener that throws is logged (once per listener, then at DEBUG) and never breaks a send.
 * Events carry no password, API key, token or message body: only counts, durations, transports, failures
 * and receipts.
 */
public interface MailerListener {

  /** A listener that does nothing; the default of {@link MailerOptions}. */
  MailerListener NONE = new MailerListener() {
    @Override
    public String toString() {
      return "MailerListener.NONE";
    }
  };

  /**
   * Combines listeners into one that calls each in order; one that throws does not keep the others from
   * being called.
   *
   * @param listeners the listeners
   * @return the combined listener
   */
  static MailerListener compose(MailerListener... listeners) {
    List<MailerListener> all = List.of(listeners);
    return dev.mailroom.internal.Listeners.compose(all);
  }

  /**
   * A send started: the mailer accepted the email and is about to make its first attempt (after waiting
   * for the sending limits, if any).
   *
   * @param send the send
   */
  default void sendStarted(SendEvent send) {}

  /**
   * An attempt started.
   *
   * @param attempt the attempt
   */
  default void attemptStarted(AttemptEvent attempt) {}

  /**
   * An attempt ended, accepted or failed.
   *
   * @param result how it ended, its duration and timings
   */
  default void attemptFinished(AttemptResult result) {}

  /**
   * A failed attempt will be retried, on the same transport after a delay or on the next transport.
   *
   * @param retry the failed attempt, the delay and the reason
   */
  default void retryScheduled(RetryEvent retry) {}

  /**
   * The email was accepted.
   *
   * @param send the send
   * @param receipt what the server accepted, and through which transport
   */
  default void sendSucceeded(SendEvent send, SendReceipt receipt) {}

  /**
   * The email was not sent (or, for {@link FailureCategory#OUTCOME_UNKNOWN}, may not have been).
   *
   * @param send the send
   * @param failure why
   */
  default void sendFailed(SendEvent send, Failure failure) {}

  /**
   * A sender opened a connection to a mail server.
   *
   * @param connection the connection
   */
  default void connectionOpened(ConnectionEvent connection) {}

  /**
   * A sender closed a connection.
   *
   * @param connection the connection, how long it was open and how many messages it carried
   */
  default void connectionClosed(ConnectionEvent connection) {}
}
