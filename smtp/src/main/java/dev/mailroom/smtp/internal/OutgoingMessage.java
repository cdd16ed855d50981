package dev.mailroom.smtp.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * A message with Mailroom's Message-ID: {@code <idempotency-key@sender-domain>} (or the email's own),
 * the same for every attempt of the same {@link dev.mailroom.Email}. Angus would otherwise make a new one
 * on every save, looking up the local host name each time.
 */
final class OutgoingMessage extends SMTPMessage {
  private final String messageId;

  OutgoingMessage(Session session, String messageId) {
    super(session);
    this.messageId = messageId;
  }

  @Override
  protected void updateMessageID() throws MessagingException {
    setHeader("Message-ID", "<" + messageId + ">");
  }
}
