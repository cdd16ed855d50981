package dev.mailroom.spi;

import dev.mailroom.AttemptTimings;
import java.time.Duration;

/**
 * Where a {@link Sender} reports its connections and the timings of each attempt, so that the
 * {@link dev.mailroom.Mailer} can tell its {@link dev.mailroom.MailerListener}. Get it with
 * {@link SenderContext#events()}; every method does nothing unless the mailer listens, is cheap, and never
 * throws. Nothing reported here may hold a secret or message content.
 */
public interface SenderEvents {
  /** Events that go nowhere. */
  SenderEvents NONE = new SenderEvents() {};

  /**
   * A connection was opened: connected, TLS established and signed in, ready to send.
   *
   * @param connectionId a number unique within the sender
   */
  default void connectionOpened(long connectionId) {}

  /**
   * A connection was closed, after a send or because it was idle.
   *
   * @param connectionId the number given when it was opened
   * @param open how long it was open
   * @param messages how many messages it carried
   */
  default void connectionClosed(long connectionId, Duration open, int messages) {}

  /**
   * How the current attempt used its connection and where its time went. Call it on the thread that called
   * {@link Sender#send(SendRequest)}, before that call returns or throws.
   *
   * @param timings the timings
   */
  default void attempt(AttemptTimings timings) {}
}
