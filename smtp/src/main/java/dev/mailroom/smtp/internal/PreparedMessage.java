package dev.mailroom.smtp.internal;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.spi.SendRequest;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * One {@link SendRequest} turned into an Angus message and its envelope, before any connection is used:
 * every header problem shows up here, not in the middle of a transaction.
 *
 * <p>The message: UTF-8 subject and bodies (normalized to CRLF; 7bit when plain ASCII with short lines,
 * otherwise quoted-printable, or base64 for mostly non-ASCII text), text, HTML or both as
 * multipart/alternative, attachments streamed from their source as base64 with RFC 2231 file names, the
 * email's custom headers, and the Message-ID {@code <idempotency-key@sender-domain>}. No Bcc header;
 * the settings' copy address is only an envelope recipient. Addresses use A-label domains, unless the
 * message needs SMTPUTF8 (an address with a non-ASCII local part).
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
      String messageId, Address utf8Address, boolean utf8Sender) {
    this.message = message;
    this.envelope = envelope;
    this.recipients = recipients;
    this.messageId = messageId;
    this.utf8 = utf8Address != null;
    this.utf8Address = utf8Address;
    this.utf8Sender = utf8Sender;
  }

  /**
   * Builds the message.
   *
   * @throws IllegalArgumentException if a header value cannot be sent safely (the message says which)
   * @throws MessagingException if Angus refuses the message
   */
  static PreparedMessage of(SmtpConfig cfg, SendRequest request) throws MessagingException {
    Email e = request.email();
    Address from = request.from();
    Address utf8Address = null;
    boolean utf8Sender = false;
    if (!request.envelopeFrom().hasAsciiLocalPart() || !from.hasAsciiLocalPart()) {
      utf8Address = request.envelopeFrom().hasAsciiLocalPart() ? from : request.envelopeFrom();
      utf8Sender = true;
    } else {
      List<Address> others = new ArrayList<>(request.envelopeRecipients());
      others.addAll(e.to());
      others.addAll(e.cc());
      others.addAll(e.replyTo());
      for (Address a : others) {
        if (!a.hasAsciiLocalPart()) {
          utf8Address = a;
          break;
        }
      }
    }
    boolean utf8 = utf8Address != null;
    String id = e.messageId().orElseGet(() -> e.idempotencyKey() + "@" + from.asciiDomain());

    OutgoingMessage m = new OutgoingMessage(cfg.session(utf8), id);
    m.setEnvelopeFrom(utf8 ? request.envelopeFrom().email() : request.envelopeFrom().asciiEmail());
    m.setSentDate(new Date());
    m.setHeader("From", Headers.addresses("From", List.of(from), utf8));
    if (!e.replyTo().isEmpty()) {
      m.setHeader("Reply-To", Headers.addresses("Reply-To", e.replyTo(), utf8));
    }
    if (!e.to().isEmpty()) {
      m.setHeader("To", Headers.addresses("To", e.to(), utf8));
    }
    if (!e.cc().isEmpty()) {
      m.setHeader("Cc", Headers.addresses("Cc", e.cc(), utf8));
    }
    m.setHeader("Subject", Headers.unstructured("Subject", e.subject()));
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      m.setHeader(h.getKey(), Headers.unstructured(h.getKey(), h.getValue()));
    }
    content(m, e);
    m.saveChanges();

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
    return new PreparedMessage(m, envelope, List.copyOf(emails), id, utf8Address, utf8Sender);
  }

  private static void content(MimeMessage m, Email e) throws MessagingException {
    MimeBodyPart body = null;
    boolean text = e.text().isPresent();
    boolean html = e.html().isPresent();
    if (text && html) {
      MimeMultipart alt = new MimeMultipart("alternative");
      alt.addBodyPart(textPart(new MimeBodyPart(), e.text().get(), "text/plain"));
      alt.addBodyPart(textPart(new MimeBodyPart(), e.html().get(), "text/html"));
      if (e.attachments().isEmpty()) {
        m.setContent(alt);
        return;
      }
      body = new MimeBodyPart();
      body.setContent(alt);
    } else if (text || html || e.attachments().isEmpty()) {
      String t = e.text().or(e::html).orElse("");
      String type = html ? "text/html" : "text/plain";
      if (e.attachments().isEmpty()) {
        textPart(m, t, type);
        return;
      }
      body = textPart(new MimeBodyPart(), t, type);
    }
    MimeMultipart mixed = new MimeMultipart("mixed");
    if (body != null) {
      mixed.addBodyPart(body);
    }
    for (Attachment a : e.attachments()) {
      MimeBodyPart p = new MimeBodyPart();
      p.setDataHandler(new DataHandler(new AttachmentSource(a)));
      p.setHeader("Content-Type", Headers.contentType(a.contentType(), a.filename()));
      p.setHeader("Content-Disposition", Headers.disposition(a.filename()));
      p.setHeader("Content-Transfer-Encoding", "base64");
      mixed.addBodyPart(p);
    }
    m.setContent(mixed);
  }

  private static <P extends MimePart> P textPart(P part, String text, String type) throws MessagingException {
    byte[] bytes = crlf(text).getBytes(StandardCharsets.UTF_8);
    String ct = type + "; charset=UTF-8";
    part.setDataHandler(new DataHandler(new BytesSource(bytes, ct)));
    part.setHeader("Content-Type", ct);
    part.setHeader("Content-Transfer-Encoding", encoding(bytes));
    return part;
  }

  /** Every line break (CRLF, LF, CR) as CRLF. */
  static String crlf(String s) {
    int n = s.length();
    StringBuilder b = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        boolean pair = c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n';
        if (b == null) {
          if (pair) {
            i++;
            continue;
          }
          b = new StringBuilder(n + 16).append(s, 0, i);
        }
        b.append("\r\n");
        if (pair) {
          i++;
        }
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /** 7bit for ASCII with lines up to 998 octets, base64 when most bytes are not ASCII, else quoted-printable. */
  static String encoding(byte[] bytes) {
    int nonAscii = 0;
    int line = 0;
    boolean longLine = false;
    for (byte b : bytes) {
      if (b < 0) {
        nonAscii++;
      }
      if (b == '\n') {
        line = 0;
      } else if (++line > 998) {
        longLine = true;
      }
    }
    if (nonAscii == 0 && !longLine) {
      return "7bit";
    }
    return nonAscii * 3 > bytes.length ? "base64" : "quoted-printable";
  }
}
