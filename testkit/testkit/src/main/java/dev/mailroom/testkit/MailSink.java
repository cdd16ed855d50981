package dev.mailroom.testkit;

import java.time.Duration;
import java.util.List;

/**
 * Where mail lands in tests: the local SMTP server ({@link MailroomSmtpServer}), the fake HTTP mail API
 * ({@link MailroomHttpServer}) and the recording sender ({@link RecordingSenderProvider}) all offer the
 * same view of what they received.
 *
 * <pre>{@code
 * List<ReceivedEmail> mail = smtp.awaitReceived(1, Duration.ofSeconds(5));
 * MailAssertions.assertThat(mail.get(0)).hasSubject("Invoice INV-1").hasAttachment("INV-1.pdf");
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface MailSink {
  /**
   * Returns what arrived so far, oldest first.
   *
   * @return the received emails
   */
  List<ReceivedEmail> received();

  /**
   * Waits until at least {@code count} emails arrived, without polling sleeps (the receiving thread wakes
   * the waiting one).
   *
   * @param count how many emails to wait for, at least 1
   * @param timeout how long to wait at most
   * @return the emails received by then (at least {@code count})
   * @throws AssertionError if fewer arrived within the timeout; the message lists what did arrive
   * @throws IllegalArgumentException if {@code count} is below 1
   */
  List<ReceivedEmail> awaitReceived(int count, Duration timeout);

  /**
   * Waits for the first email and returns it; shorthand for {@code awaitReceived(1, timeout).get(0)}.
   *
   * @param timeout how long to wait at most
   * @return the first received email
   * @throws AssertionError if none arrived in time
   */
  default ReceivedEmail awaitOne(Duration timeout) {
    return awaitReceived(1, timeout).get(0);
  }

  /**
   * Asserts that nothing arrived (so far).
   *
   * @throws AssertionError listing what did arrive
   */
  void assertNoneReceived();

  /** Forgets what was received. */
  void clear();
}
