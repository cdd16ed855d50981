package dev.mailroom.smtp.internal;

import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.internal.mime.PreparedMime;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The message Angus's transport sends: an {@link SMTPMessage} (for the envelope sender) that writes itself
 * with core's MIME writer ({@link PreparedMime}), bypassing Angus's MIME classes (see
 * {@link dev.mailroom.internal.mime.Body} for why). Its Message-ID is {@code <idempotency-key@sender-domain>}
 * (or the email's own), the same for every attempt of the same {@link dev.mailroom.Email}.
 */
final class OutgoingMessage extends SMTPMessage {
  private final PreparedMime mime;
  private final String subject;
  private final long estimatedSize;
  private final long minimumSize;

  OutgoingMessage(Session session, PreparedMime mime, Email email) {
    super(session);
    this.mime = mime;
    this.subject = email.subject();
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

  @Override
  public String getSubject() {
    return subject;
  }

  @Override
  public void writeTo(OutputStream os) throws IOException {
    writeTo(os, null);
  }

  /**
   * Writes the message with {@link PreparedMime#writeTo(OutputStream, boolean)}, without a buffer of its own:
   * whatever Angus or the pipelined send hands it ends in the connection's 64 KB {@link CommandOutputStream}.
   */
  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
    mime.writeTo(os, true);
  }

  @Override
  public void saveChanges() throws MessagingException {
    // nothing to save: the message is complete when it is made
  }

  /** The header lines, for tests. */
  List<String> headerLines() {
    return mime.headerLines();
  }
}
