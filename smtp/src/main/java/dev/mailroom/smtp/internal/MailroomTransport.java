package dev.mailroom.smtp.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus's SMTP transport for one connection, with two changes: the EHLO name is the connection's local
 * address literal (such as {@code [192.0.2.7]}) instead of a reverse DNS lookup of the local host name,
 * and when the server offers PIPELINING (RFC 2920) a message's MAIL, RCPT and DATA commands go out in one
 * write, halving the round trips per message. Replies are still read one by one through the guarded
 * streams; what they mean is decided by the {@link Wire} and {@link Failures}, as without pipelining.
 */
final class MailroomTransport extends SMTPTransport {
  /**
   * Angus logs through java.util.logging under the package of the transport class: a protocol trace at
   * FINEST ({@code <package>.protocol}) with every line, message content included, and FINE messages that
   * quote server replies, which may echo a password or token. Mailroom keeps its own redacted transcript;
   * Angus's records for this transport are dropped, whatever logging level an application turns on. The
   * loggers are held here so that their filters are not lost (java.util.logging keeps loggers weakly).
   */
  private static final Logger ANGUS = Logger.getLogger(MailroomTransport.class.getPackageName());
  private static final Logger ANGUS_PROTOCOL = Logger.getLogger(ANGUS.getName() + ".protocol");

  static {
    Filter none = r -> false;
    ANGUS.setFilter(none);
    ANGUS_PROTOCOL.setFilter(none);
    // no trace streams at all: nothing to log, and no cost
    ANGUS_PROTOCOL.setLevel(Level.OFF);
  }

  private final Wire wire;

  MailroomTransport(Session session, Wire wire) {
    super(session, new URLName("smtp", wire.cfg.asciiHost(), wire.cfg.port(), null, null, null));
    this.wire = wire;
  }

  @Override
  public synchronized String getLocalHost() {
    return wire.ehloName();
  }

  /**
   * RFC 1870: when the server announces SIZE, returns {@code " SIZE=n"} for a message whose size is known
   * (else ""), and refuses, before MAIL, a message certainly larger than the server's announced limit.
   *
   * @throws MessageTooLarge if the message exceeds the limit; nothing has been sent for it
   */
  private String sizeParameter(PreparedMessage m) throws MessagingException {
    if (!supportsExtension("SIZE")) {
      return "";
    }
    long limit = 0;
    String announced = getExtensionParameter("SIZE");
    if (announced != null && announced.strip().matches("\\d{1,18}")) {
      limit = Long.parseLong(announced.strip());
    }
    if (limit > 0 && (m.minimumSize() > limit || m.estimatedSize() > limit)) {
      throw new MessageTooLarge(limit, Math.max(m.minimumSize(), m.estimatedSize()));
    }
    return m.estimatedSize() >= 0 ? " SIZE=" + m.estimatedSize() : "";
  }

  /**
   * Reads the next reply through the {@link Wire} (checked and recorded there), without Angus's line reader
   * and the strings it builds; used only for the replies this class reads itself.
   */
  private int readReply() throws MessagingException {
    try {
      return wire.readReply();
    } catch (IOException e) {
      throw new MessagingException("Exception reading response", e);
    }
  }

  /** Writes a command as Angus's {@code sendCommand} does, through the same guarded stream. */
  private static void command(CommandOutputStream out, String line) throws MessagingException {
    try {
      out.command(line);
    } catch (IOException e) {
      throw new MessagingException("Can't send command to SMTP host", e);
    }
  }

  /** A message larger than the limit the server announced with SIZE; thrown before MAIL FROM. */
  static final class MessageTooLarge extends MessagingException {
    private static final long serialVersionUID = 1L;
    final long limit;
    final long size;

    MessageTooLarge(long limit, long size) {
      super("the message is larger than the server's SIZE limit");
      this.limit = limit;
      this.size = size;
    }
  }

  /** Writes QUIT and returns without reading the reply; the caller closes the socket. */
  synchronized void quitWithoutWaiting() throws MessagingException {
    sendCommand("QUIT");
  }

  /**
   * Sends one message. With PIPELINING its MAIL, RCPT and DATA commands go out in one write and the message
   * is written straight from its {@link PreparedMessage#mime}; without, Angus's own transaction sends the
   * Angus message made from it ({@link PreparedMessage#message}).
   */
  synchronized void send(PreparedMessage m) throws MessagingException {
    String size = sizeParameter(m);
    if (!supportsExtension("PIPELINING")) {
      OutgoingMessage message = (OutgoingMessage) m.message(session);
      message.setMailExtension(size.isEmpty() ? null : size.substring(1));
      sendMessage(message, m.envelope());
      return;
    }
    checkConnected();
    boolean utf8 = m.utf8 && supportsExtension("SMTPUTF8");
    List<String> to = m.envelopeTo;
    wire.cork(true);
    try {
      CommandOutputStream out = wire.dataStream();
      command(out, "MAIL FROM:<" + m.envelopeFrom + ">" + (utf8 ? " SMTPUTF8" : "") + size);
      for (String a : to) {
        command(out, "RCPT TO:<" + a + ">");
      }
      command(out, "DATA");
      // the first read sends the whole batch
      boolean ok = readReply() == 250;
      for (int i = 0; i < to.size(); i++) {
        int code = readReply();
        ok &= code == 250 || code == 251;
      }
      int data = readReply();
      wire.cork(false);
      if (ok && data == 354) {
        try {
          CommandOutputStream stream = wire.dataStream();
          m.mime.writeTo(stream.message(), true);
          stream.endMessage();
        } catch (IOException e) {
          throw new MessagingException("IOException while sending message", e);
        }
        sendCommand(".");
        if (readReply() == 250) {
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
