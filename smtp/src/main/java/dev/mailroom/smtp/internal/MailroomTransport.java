package dev.mailroom.smtp.internal;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport for one connection, with two changes: the EHLO name is the connection's local
 * address literal (such as {@code [192.0.2.7]}) instead of a reverse DNS lookup of the local host name,
 * and when the server offers PIPELINING (RFC 2920) a message's MAIL, RCPT and DATA commands go out in one
 * write, halving the round trips per message. Replies are still read one by one through the guarded
 * streams; what they mean is decided by the {@link Wire} and {@link Failures}, as without pipelining.
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

  @Override
  public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
    if (!(message instanceof OutgoingMessage) || addresses == null || addresses.length == 0
        || !supportsExtension("PIPELINING")) {
      super.sendMessage(message, addresses);
      return;
    }
    checkConnected();
    OutgoingMessage m = (OutgoingMessage) message;
    boolean utf8 = Boolean.parseBoolean(session.getProperty("mail.mime.allowutf8"))
        && supportsExtension("SMTPUTF8");
    wire.cork(true);
    try {
      sendCommand("MAIL FROM:<" + m.getEnvelopeFrom() + ">" + (utf8 ? " SMTPUTF8" : ""));
      for (Address a : addresses) {
        sendCommand("RCPT TO:<" + ((InternetAddress) a).getAddress() + ">");
      }
      sendCommand("DATA");
      // the first read sends the whole batch
      boolean ok = readServerResponse() == 250;
      for (int i = 0; i < addresses.length; i++) {
        int code = readServerResponse();
        ok &= code == 250 || code == 251;
      }
      int data = readServerResponse();
      wire.cork(false);
      if (ok && data == 354) {
        SMTPOutputStream out = new SMTPOutputStream(wire.dataStream());
        try {
          m.writeTo(out);
          out.ensureAtBOL();
        } catch (IOException e) {
          throw new MessagingException("IOException while sending message", e);
        }
        sendCommand(".");
        if (readServerResponse() == 250) {
          return;
        }
      } else if (data == 354) {
        // the server wants the message although the transaction failed: sending it (even empty) could
        // deliver to the recipients it accepted, so the connection is given up instead
        throw new MessagingException("transaction failed; not sending the message");
      }
      issueCommand("RSET", -1);
      throw new MessagingException("the server refused the message");
    } finally {
      wire.cork(false);
    }
  }
}
