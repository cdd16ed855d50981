package dev.mailroom.spi;

import dev.mailroom.Address;
import dev.mailroom.Email;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message ready to send, as the {@link dev.mailroom.Mailer} hands it to a {@link Sender}: the email
 * with sender and reply-to resolved from the settings, and the envelope.
 *
 * @param email the email; {@link Email#from()} is always present here
 * @param envelopeFrom the envelope sender (SMTP {@code MAIL FROM})
 * @param envelopeRecipients every recipient: to, cc, bcc and the settings' copy address, without duplicates
 * @param copyTo the settings' "send a copy of every email to this address", an envelope recipient that no
 *     header shows (HTTP dialects send it as a blind copy)
 * @param attempt which attempt this is, starting at 1
 */
public record SendRequest(
    Email email, Address envelopeFrom, List<Address> envelopeRecipients, Optional<Address> copyTo, int attempt) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if the email has no sender, there is no recipient or
   *     {@code attempt} is below 1
      * @param email see the record component
   * @param envelopeFrom see the record component
   * @param envelopeRecipients see the record component
   * @param copyTo see the record component
   * @param attempt see the record component
   */
  public SendRequest {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(envelopeFrom, "envelopeFrom");
    envelopeRecipients = List.copyOf(envelopeRecipients);
    Objects.requireNonNull(copyTo, "copyTo");
    if (email.from().isEmpty()) {
      throw new IllegalArgumentException("the email of a SendRequest must have its sender set");
    }
    if (envelopeRecipients.isEmpty()) {
      throw new IllegalArgumentException("a SendRequest needs at least one envelope recipient");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
    }
  }

  /**
   * Returns the sender, shorthand for {@code email().from().orElseThrow()}.
   *
   * @return the header sender
   */
  public Address from() {
    return email.from().orElseThrow();
  }
}
