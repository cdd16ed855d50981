package dev.mailroom.smtp.internal;

import dev.mailroom.Email;
import dev.mailroom.internal.mime.PreparedMime;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The message Angus's own transaction sends, for servers without PIPELINING (the pipelined send writes the
 * {@link PreparedMime} itself): an {@link SMTPMessage} (for the envelope sender) that writes itself
 * with core's MIME writer ({@link PreparedMime}), bypassing Angus's MIME classes (see
 * {@link dev.mailroom.internal.mime.Body} for why). Its Message-ID is {@code <idempotency-key@sender-domain>}
 * (or the email's own), the same for every attempt of the same {@link dev.mailroom.Email}.
 */
final class OutgoingMessage extends SMTPMessage {
  private final PreparedMessage prepared;
  private final String subject;

  OutgoingMessage(Session session, PreparedMessage prepared, Email email) {
    super(session);
    this.prepared = prepared;
    this.subject = email.subject();
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
   * whatever Angus hands it ends in the connection's 64 KB {@link CommandOutputStream}.
   */
  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
    prepared.mime.writeTo(os, true);
  }

  @Override
  public void saveChanges() throws MessagingException {
    // nothing to save: the message is complete when it is made
  }

  /** The header lines, for tests. */
  List<String> headerLines() {
    return prepared.mime.headerLines();
  }
}
