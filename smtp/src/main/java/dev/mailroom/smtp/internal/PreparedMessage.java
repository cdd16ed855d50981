package dev.mailroom.smtp.internal;

import dev.mailroom.Address;
import dev.mailroom.internal.mime.PreparedMime;
import dev.mailroom.spi.SendRequest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link SendRequest} turned into an Angus message and its envelope, before any connection is used:
 * every header problem shows up here, not in the middle of a transaction. The message itself is core's
 * {@link PreparedMime} (the one MIME writer); the settings' copy address is only an envelope recipient.
 */
final class PreparedMessage {
  final MimeMessage message;
  final InternetAddress[] envelope;
  final List<String> recipients;
  final String messageId;
  final boolean utf8;
  /** The first address that needs SMTPUTF8, or null. */
  final Address utf8Address;
  /** Whether {@link #utf8Address} is the sender. */
  final boolean utf8Sender;

  private PreparedMessage(MimeMessage message, InternetAddress[] envelope, List<String> recipients,
      PreparedMime mime) {
    this.message = message;
    this.envelope = envelope;
    this.recipients = recipients;
    this.messageId = mime.messageId();
    this.utf8 = mime.utf8();
    this.utf8Address = mime.utf8Address();
    this.utf8Sender = mime.utf8Sender();
  }

  /**
   * Builds the message.
   *
   * @throws IllegalArgumentException if a header value cannot be sent safely (the message says which)
   * @throws MessagingException if Angus refuses the envelope
   */
  static PreparedMessage of(SmtpConfig cfg, SendRequest request) throws MessagingException {
    PreparedMime mime = PreparedMime.of(request.email(), request.from(), request.envelopeFrom(),
        request.envelopeRecipients(), cfg.settings());
    boolean utf8 = mime.utf8();
    OutgoingMessage m = new OutgoingMessage(cfg.session(utf8), mime, request.email());
    m.setEnvelopeFrom(utf8 ? request.envelopeFrom().email() : request.envelopeFrom().asciiEmail());

    List<Address> rcpts = request.envelopeRecipients();
    InternetAddress[] envelope = new InternetAddress[rcpts.size()];
    List<String> emails = new ArrayList<>(rcpts.size());
    for (int i = 0; i < envelope.length; i++) {
      Address a = rcpts.get(i);
      InternetAddress ia = new InternetAddress();
      ia.setAddress(utf8 ? a.email() : a.asciiEmail());
      envelope[i] = ia;
      emails.add(a.email());
    }
    return new PreparedMessage(m, envelope, List.copyOf(emails), mime);
  }
}
