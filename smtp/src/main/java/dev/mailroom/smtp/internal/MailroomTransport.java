package dev.mailroom.smtp.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport for one connection, with the EHLO name taken from the connection's local
 * address (an address literal such as {@code [192.0.2.7]}) instead of a reverse DNS lookup of the local
 * host name on every connection.
 */
final class MailroomTransport extends SMTPTransport {
  private final Wire wire;

  MailroomTransport(Session session, Wire wire) {
    super(session, new URLName("smtp", wire.cfg.asciiHost(), wire.cfg.port(), null, null, null));
    this.wire = wire;
  }

  @Override
  public synchronized String getLocalHost() {
    return wire.ehloName();
  }

  /** Writes QUIT and returns without reading the reply; the caller closes the socket. */
  synchronized void quitWithoutWaiting() throws MessagingException {
    sendCommand("QUIT");
  }
}
