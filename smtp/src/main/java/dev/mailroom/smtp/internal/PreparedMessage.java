package dev.mailroom.smtp.internal;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.internal.mime.PreparedMime;
import dev.mailroom.spi.SendRequest;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link SendRequest} made ready to send, before any connection is used: every header problem shows up
 * here, not in the middle of a transaction. The message itself is core's {@link PreparedMime} (the one MIME
 * writer); the settings' copy address is only an envelope recipient. The envelope is kept as the address
 * strings the MAIL and RCPT commands carry; Angus's message and addresses ({@link #message}, {@link #envelope})
 * are made only when a send needs Angus's own transaction (a server without PIPELINING), since the pipelined
 * send writes the commands and {@link PreparedMime} itself.
 */
final class PreparedMessage {
  final PreparedMime mime;
  private final Email email;
  /** The envelope sender as MAIL FROM carries it (A-label domain unless the message needs SMTPUTF8). */
  final String envelopeFrom;
  /** The envelope recipients as RCPT TO carries them, in order. */
  final List<String> envelopeTo;
  final List<String> recipients;
  final String messageId;
  final boolean utf8;
  /** The first address that needs SMTPUTF8, or null. */
  final Address utf8Address;
  /** Whether {@link #utf8Address} is the sender. */
  final boolean utf8Sender;
  /** See {@link #estimatedSize()}. */
  private final long estimatedSize;
  /** See {@link #minimumSize()}. */
  private final long minimumSize;

  private PreparedMessage(PreparedMime mime, Email email, String envelopeFrom, List<String> envelopeTo,
      List<String> recipients) {
    this.mime = mime;
    this.email = email;
    this.envelopeFrom = envelopeFrom;
    this.envelopeTo = envelopeTo;
    this.recipients = recipients;
    this.messageId = mime.messageId();
    this.utf8 = mime.utf8();
    this.utf8Address = mime.utf8Address();
    this.utf8Sender = mime.utf8Sender();
    long headers = 2;
    for (String line : mime.headerLines()) {
      headers += dev.mailroom.internal.Text.utf8Length(line) + 2;
    }
    // the bodies' UTF-8 length as given (PreparedMime encoded them already) and 200 for each part's headers
    long body = mime.textUtf8Length() + (email.text().isPresent() ? 200 : 0)
        + (email.html().isPresent() ? 200 : 0);
    long attachments = 0;
    long attachmentsMin = 0;
    boolean known = true;
    for (Attachment a : email.attachments()) {
      if (a.size().isEmpty()) {
        known = false;
        continue;
      }
      long n = a.size().getAsLong();
      long base64 = (n + 2) / 3 * 4;
      attachmentsMin += base64;
      attachments += base64 + (base64 + 75) / 76 * 2 + 300; // CRLF every 76 characters, part headers
    }
    this.estimatedSize = known ? headers + body + attachments : -1;
    this.minimumSize = headers + attachmentsMin;
  }

  /**
   * Builds the message.
   *
   * @throws IllegalArgumentException if a header value cannot be sent safely (the message says which)
   */
  static PreparedMessage of(SmtpConfig cfg, SendRequest request) {
    PreparedMime mime = PreparedMime.of(request.email(), request.from(), request.envelopeFrom(),
        request.envelopeRecipients(), cfg.settings());
    boolean utf8 = mime.utf8();
    List<Address> rcpts = request.envelopeRecipients();
    List<String> to = new ArrayList<>(rcpts.size());
    List<String> emails = new ArrayList<>(rcpts.size());
    for (Address a : rcpts) {
      to.add(utf8 ? a.email() : a.asciiEmail());
      emails.add(a.email());
    }
    return new PreparedMessage(mime, request.email(),
        utf8 ? request.envelopeFrom().email() : request.envelopeFrom().asciiEmail(), List.copyOf(to),
        List.copyOf(emails));
  }

  /**
   * The size of the message on the wire as far as it can be known before writing it (RFC 1870 allows an
   * estimate): exact for the attachments' base64, close for headers and text. -1 when an attachment's size
   * is not known.
   */
  long estimatedSize() {
    return estimatedSize;
  }

  /** A size the message certainly exceeds: its headers and the attachments' base64 without line breaks. */
  long minimumSize() {
    return minimumSize;
  }

  /** The message as Angus's transaction sends it, for servers without PIPELINING (and tests). */
  MimeMessage message(Session session) throws MessagingException {
    OutgoingMessage m = new OutgoingMessage(session, this, email);
    m.setEnvelopeFrom(envelopeFrom);
    return m;
  }

  /** The envelope recipients as Angus's addresses, for {@link #message}. */
  InternetAddress[] envelope() {
    InternetAddress[] envelope = new InternetAddress[envelopeTo.size()];
    for (int i = 0; i < envelope.length; i++) {
      InternetAddress ia = new InternetAddress();
      ia.setAddress(envelopeTo.get(i));
      envelope[i] = ia;
    }
    return envelope;
  }
}
