package dev.mailroom.spi;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;

/**
 * Creates {@link Sender}s for one {@link Protocol}. {@link dev.mailroom.Mailer#open(EmailSettings)} finds
 * the provider for the settings' protocol with {@link java.util.ServiceLoader}; an application can also
 * choose one explicitly with {@link dev.mailroom.MailerOptions.Builder#senderProvider(SenderProvider)}.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface SenderProvider {
  /**
   * Returns the protocol this provider sends with.
   *
   * @return the protocol
   */
  Protocol protocol();

  /**
   * Returns a short name for messages, e.g. {@code smtp (Angus Mail)}. Defaults to the class name.
   *
   * @return the name
   */
  default String name() {
    return getClass().getName();
  }

  /**
   * Creates a sender for valid settings. Must not connect yet: connections are made on the first send.
   *
   * @param settings the settings, already validated, with {@link EmailSettings#protocol()} equal to
   *     {@link #protocol()}
   * @param context what the sender gets from its mailer: connection limits and the transcript receiver
   * @return a new sender
   * @throws IllegalArgumentException if these settings cannot be used by this provider; the message says
   *     which field and what to do
   */
  Sender open(EmailSettings settings, SenderContext context);
}
