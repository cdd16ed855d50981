package dev.mailroom.smtp.internal;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.spi.SendRequest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  /** RFC 5322 date-time, e.g. {@code Tue, 3 Jun 2008 11:05:30 +0200}. */
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

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
   * @throws MessagingException if Angus refuses the envelope
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

    List<String> h = new ArrayList<>(8 + e.headers().size());
    h.add("Date: " + DATE.format(ZonedDateTime.now()));
    h.add("From: " + Headers.addresses("From", List.of(from), utf8));
    if (!e.replyTo().isEmpty()) {
      h.add("Reply-To: " + Headers.addresses("Reply-To", e.replyTo(), utf8));
    }
    if (!e.to().isEmpty()) {
      h.add("To: " + Headers.addresses("To", e.to(), utf8));
    }
    if (!e.cc().isEmpty()) {
      h.add("Cc: " + Headers.addresses("Cc", e.cc(), utf8));
    }
    h.add("Message-ID: <" + id + ">");
    h.add("Subject: " + Headers.unstructured("Subject", e.subject()));
    for (Map.Entry<String, String> x : e.headers().entrySet()) {
      h.add(x.getKey() + ": " + Headers.unstructured(x.getKey(), x.getValue()));
    }
    OutgoingMessage m = new OutgoingMessage(cfg.session(utf8), h, content(e), e.subject());
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
    return new PreparedMessage(m, envelope, List.copyOf(emails), id, utf8Address, utf8Sender);
  }

  private static Body content(Email e) {
    Body body = null;
    boolean text = e.text().isPresent();
    boolean html = e.html().isPresent();
    if (text && html) {
      body = Body.Multi.of("alternative", List.of(text(e.text().get(), "text/plain"), text(e.html().get(),
          "text/html")));
    } else if (text || html || e.attachments().isEmpty()) {
      body = text(e.text().or(e::html).orElse(""), html ? "text/html" : "text/plain");
    }
    if (e.attachments().isEmpty()) {
      return body;
    }
    List<Body> parts = new ArrayList<>(e.attachments().size() + 1);
    if (body != null) {
      parts.add(body);
    }
    for (Attachment a : e.attachments()) {
      parts.add(new Body.File(a, Headers.contentType(a.contentType(), a.filename()),
          Headers.disposition(a.filename())));
    }
    return Body.Multi.of("mixed", parts);
  }

  private static Body text(String text, String type) {
    byte[] bytes = crlf(text).getBytes(StandardCharsets.UTF_8);
    return new Body.Text(type, bytes, encoding(bytes));
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

  /** 7bit for ASCII with lines up to 998 octets, base64 when over 40 % of the bytes are not ASCII, else quoted-printable. */
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
    // base64 is shorter once more than about 40 % of the bytes would need =XX
    return nonAscii * 5 > bytes.length * 2 ? "base64" : "quoted-printable";
  }
}
