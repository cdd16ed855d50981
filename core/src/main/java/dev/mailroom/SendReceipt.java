package dev.mailroom;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server accepted.
 *
 * @param messageId the message id: the {@code Message-ID} header without angle brackets for SMTP, the
 *     provider's id for HTTP APIs (or the id Mailroom generated when the provider returns none)
 * @param acceptedRecipients the envelope recipients the server accepted, including the settings' copy
 *     address
 * @param serverReply the server's final reply (SMTP) or response summary (HTTP), if any
 * @param attempts how many attempts the send took, 1 when the first succeeded
 * @param elapsed the time from the first attempt to acceptance, retries and waits included
 * @param transport the transport that delivered: with several settings
 *     ({@link Mailer#open(List, MailerOptions)}), {@link Transport#index()} says which; empty only in a
 *     receipt a sender made, before the {@link Mailer} fills it in
 */
public record SendReceipt(
    String messageId,
    List<String> acceptedRecipients,
    Optional<String> serverReply,
    int attempts,
    Duration elapsed,
    Optional<Transport> transport) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if {@code attempts} is below 1 or {@code elapsed} is negative
      * @param messageId see the record component
   * @param acceptedRecipients see the record component
   * @param serverReply see the record component
   * @param attempts see the record component
   * @param elapsed see the record component
   * @param transport see the record component
   */
  public SendReceipt {
    Objects.requireNonNull(messageId, "messageId");
    acceptedRecipients = List.copyOf(acceptedRecipients);
    Objects.requireNonNull(serverReply, "serverReply");
    // server text: shown escaped and bounded by the one sanitizer (a reply may carry escape sequences)
    serverReply = serverReply.map(r -> dev.mailroom.internal.Sanitizer.clean(r, 512));
    messageId = dev.mailroom.internal.Sanitizer.clean(messageId, 998);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(transport, "transport");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed must not be negative: " + elapsed);
    }
  }

  /**
   * Creates a receipt without its transport, as a {@link dev.mailroom.spi.Sender} does; the {@link Mailer}
   * fills it in.
   *
   * @param messageId see the record component
   * @param acceptedRecipients see the record component
   * @param serverReply see the record component
   * @param attempts see the record component
   * @param elapsed see the record component
   * @throws IllegalArgumentException if {@code attempts} is below 1 or {@code elapsed} is negative
   */
  public SendReceipt(String messageId, List<String> acceptedRecipients, Optional<String> serverReply, int attempts,
      Duration elapsed) {
    this(messageId, acceptedRecipients, serverReply, attempts, elapsed, Optional.empty());
  }

  /**
   * Returns a copy with another transport; used by {@link Mailer}.
   *
   * @param value the transport that delivered
   * @return the copy
   */
  public SendReceipt withTransport(Transport value) {
    return new SendReceipt(messageId, acceptedRecipients, serverReply, attempts, elapsed,
        Optional.of(value));
  }

  /**
   * Returns a copy with other attempt count and elapsed time; used by {@link Mailer}.
   *
   * @param newAttempts the attempt count
   * @param newElapsed the elapsed time
   * @return the copy
   */
  public SendReceipt withAttempts(int newAttempts, Duration newElapsed) {
    return new SendReceipt(messageId, acceptedRecipients, serverReply, newAttempts, newElapsed, transport);
  }
}
