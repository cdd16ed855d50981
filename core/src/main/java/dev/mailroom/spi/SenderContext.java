package dev.mailroom.spi;

import dev.mailroom.DestinationPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a {@link Sender} gets from its {@link dev.mailroom.Mailer} besides the settings: the connection
 * limits, the transcript receiver and the destination policy. A narrow view of {@link dev.mailroom.MailerOptions} (retries and
 * the choice of provider stay with the {@code Mailer}), so that the SPI does not depend on the options
 * type. Get one with {@link dev.mailroom.MailerOptions#senderContext()}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SenderContext {
  /**
   * Returns how many connections the sender may keep open at once.
   *
   * @return at least 1
   */
  int maxConnections();

  /**
   * Returns how many messages the sender may send over one connection before it replaces it.
   *
   * @return at least 1
   */
  int maxMessagesPerConnection();

  /**
   * Returns how long a connection may be idle before it is checked before reuse.
   *
   * @return the idle time
   */
  Duration idleCheckAfter();

  /**
   * Returns how long a connection may be idle before it is closed.
   *
   * @return the idle timeout
   */
  Duration idleTimeout();

  /**
   * Returns the receiver of the protocol transcript, if one was asked for. Lines are swaks style:
   * {@code ->} sent, {@code <-} received, {@code ~>} and {@code <~} inside TLS; secrets must be replaced by
   * {@code ******} and message content left out.
   *
   * @return the transcript receiver, or empty
   */
  Optional<Consumer<String>> transcript();

  /**
   * Returns the policy that decides which server addresses the sender may connect to; the sender checks it
   * on every resolved address right before each connection and connects to the address it checked.
   *
   * @return the policy, {@link DestinationPolicy#ANY} unless the application set one
   */
  DestinationPolicy destinationPolicy();

  /**
   * Returns where the sender reports its connections and the timings of each attempt, for the
   * {@link dev.mailroom.MailerListener}. Senders that report nothing are still correct.
   *
   * @return the events, {@link SenderEvents#NONE} unless the mailer listens
   */
  default SenderEvents events() {
    return SenderEvents.NONE;
  }
}
