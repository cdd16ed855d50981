package dev.mailroom.smtp.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The message Angus's transport sends: an {@link SMTPMessage} (for the envelope sender) that writes itself
 * from Mailroom's header lines and {@link Body}, bypassing Angus's MIME classes (see {@link Body} for why).
 * Its Message-ID is {@code <idempotency-key@sender-domain>} (or the email's own), the same for every attempt
 * of the same {@link dev.mailroom.Email}.
 */
final class OutgoingMessage extends SMTPMessage {
  private final List<String> headerLines;
  private final Body body;
  private final String subject;

  OutgoingMessage(Session session, List<String> headerLines, Body body, String subject) {
    super(session);
    this.headerLines = List.copyOf(headerLines);
    this.body = body;
    this.subject = subject;
  }

  @Override
  public String getSubject() {
    return subject;
  }

  @Override
  public void writeTo(OutputStream os) throws IOException {
    writeTo(os, null);
  }

  /** Writes the header lines, MIME-Version, the body's headers, a blank line and the body. */
  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
    BufferedOutputStream out = new BufferedOutputStream(os, 16 * 1024);
    for (String h : headerLines) {
      out.write(h.getBytes(StandardCharsets.UTF_8));
      out.write(Body.CRLF);
    }
    out.write("MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII));
    for (String h : body.headers()) {
      out.write(h.getBytes(StandardCharsets.UTF_8));
      out.write(Body.CRLF);
    }
    out.write(Body.CRLF);
    body.write(out);
    out.flush();
  }

  @Override
  public void saveChanges() throws MessagingException {
    // nothing to save: the message is complete when it is made
  }

  /** The header lines, for tests. */
  List<String> headerLines() {
    return headerLines;
  }
}
