package dev.mailroom;

import java.util.Objects;

/**
 * One email that a {@link Mailer} starts to send, as {@link MailerListener}s see it: no addresses, no
 * subject, no body, no secret.
 *
 * @param sendId a number that identifies this send within the mailer, for matching its events
 * @param idempotencyKey the email's {@link Email#idempotencyKey()}
 * @param recipients how many envelope recipients the send has, the settings' copy address included
 * @param attachments how many attachments the email has
 */
public record SendEvent(long sendId, String idempotencyKey, int recipients, int attachments) {

  /**
   * Validates the components.
   *
   * @param sendId see the record component
   * @param idempotencyKey see the record component
   * @param recipients see the record component
   * @param attachments see the record component
   * @throws IllegalArgumentException if a count is negative
   */
  public SendEvent {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (recipients < 0 || attachments < 0) {
      throw new IllegalArgumentException("counts must not be negative: " + recipients + ", " + attachments);
    }
  }
}
