package dev.mailroom.internal.mime;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One email as an RFC 5322 message, built before anything is sent: every header problem shows up here,
 * not in the middle of a transaction. The one MIME writer of Mailroom, shared by the SMTP sender, the HTTP
 * dialects that take a raw message and {@code Mailer.writeMessage}.
 *
 * <p>The message: UTF-8 subject and bodies (normalized to CRLF; 7bit when plain ASCII with short lines,
 * otherwise quoted-printable, or base64 for mostly non-ASCII text), text, HTML or both as
 * multipart/alternative, attachments streamed from their source as base64 with RFC 2231 file names, the
 * email's custom headers, and the Message-ID {@code <idempotency-key@sender-domain>}. No Bcc header.
 * Addresses use A-label domains, unless the message needs SMTPUTF8 (an address with a non-ASCII local
 * part).
 */
public final class PreparedMime {
  /** The longest line sent as 7bit, without CRLF: 998 with the dot SMTP may put in front of it. */
  public static final int MAX_7BIT_LINE = 997;
  /** RFC 5322 date-time, e.g. {@code Tue, 3 Jun 2008 11:05:30 +0200}. */
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
  private static final byte[] MIME_VERSION = "MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII);

  private final List<String> headerLines;
  private final Body body;
  private final String messageId;
  private final Address utf8Address;
  private final boolean utf8Sender;

  private PreparedMime(List<String> headerLines, Body body, String messageId, Address utf8Address,
      boolean utf8Sender) {
    this.headerLines = List.copyOf(headerLines);
    this.body = body;
    this.messageId = messageId;
    this.utf8Address = utf8Address;
    this.utf8Sender = utf8Sender;
  }

  /**
   * Builds the message.
   *
   * @param e the email
   * @param from the From address
   * @param envelopeFrom the envelope sender (decides, with the recipients, whether SMTPUTF8 is needed)
   * @param envelopeRecipients the envelope recipients
   * @return the message
   * @throws IllegalArgumentException if a header value cannot be sent safely (the message says which)
   */
  public static PreparedMime of(Email e, Address from, Address envelopeFrom, List<Address> envelopeRecipients) {
    Objects.requireNonNull(e, "email");
    Address utf8Address = null;
    boolean utf8Sender = false;
    if (!envelopeFrom.hasAsciiLocalPart() || !from.hasAsciiLocalPart()) {
      utf8Address = envelopeFrom.hasAsciiLocalPart() ? from : envelopeFrom;
      utf8Sender = true;
    } else {
      List<Address> others = new ArrayList<>(envelopeRecipients);
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
    return new PreparedMime(h, content(e), id, utf8Address, utf8Sender);
  }

  /** The message's own header lines (folded, without CRLF), before MIME-Version and the body's. */
  public List<String> headerLines() {
    return headerLines;
  }

  /** The body. */
  public Body body() {
    return body;
  }

  /** The Message-ID without angle brackets. */
  public String messageId() {
    return messageId;
  }

  /** Whether the message needs SMTPUTF8 (an address with a non-ASCII local part). */
  public boolean utf8() {
    return utf8Address != null;
  }

  /** The first address that needs SMTPUTF8, or null. */
  public Address utf8Address() {
    return utf8Address;
  }

  /** Whether {@link #utf8Address()} is the sender. */
  public boolean utf8Sender() {
    return utf8Sender;
  }

  /**
   * Writes the header lines, MIME-Version, the body's headers, a blank line and the body; attachments are
   * read from their sources while writing. Does not close {@code os}.
   *
   * @param os where the message goes
   * @throws IOException if writing or reading an attachment fails
   */
  public void writeTo(OutputStream os) throws IOException {
    writeTo(os, false);
  }

  /**
   * Writes the message as {@link #writeTo(OutputStream)} does; when {@code os} buffers small writes itself
   * (the SMTP sender's message stream, a {@link java.io.ByteArrayOutputStream}), without a buffer of its own.
   *
   * @param os where the message goes
   * @param buffered whether {@code os} buffers small writes itself
   * @throws IOException if writing or reading an attachment fails
   */
  public void writeTo(OutputStream os, boolean buffered) throws IOException {
    OutputStream out = buffered ? os : new BufferedOutputStream(os, 16 * 1024);
    for (String h : headerLines) {
      out.write(h.getBytes(StandardCharsets.UTF_8));
      out.write(Body.CRLF);
    }
    out.write(MIME_VERSION);
    for (String h : body.headers()) {
      out.write(h.getBytes(StandardCharsets.UTF_8));
      out.write(Body.CRLF);
    }
    out.write(Body.CRLF);
    body.write(out);
    out.flush();
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

  /** Every line break (CRLF, LF, CR) as CRLF; the text between line breaks is copied in runs. */
  public static String crlf(String s) {
    int n = s.length();
    StringBuilder b = null;
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
          // already CRLF: stays in the run
          i++;
          continue;
        }
        if (b == null) {
          b = new StringBuilder(n + 16 + n / 32);
        }
        b.append(s, start, i).append("\r\n");
        start = i + 1;
      }
    }
    return b == null ? s : b.append(s, start, n).toString();
  }

  /**
   * 7bit for ASCII with lines up to {@value #MAX_7BIT_LINE} octets (so that even with a dot added for
   * transparency no line on the wire is longer than 998 octets), base64 when over 40 % of the bytes are
   * not ASCII, else quoted-printable.
   */
  public static String encoding(byte[] bytes) {
    int nonAscii = 0;
    int line = 0;
    boolean longLine = false;
    for (byte b : bytes) {
      if (b < 0) {
        nonAscii++;
      }
      if (b == '\n') {
        line = 0;
      } else if (b != '\r' && ++line > MAX_7BIT_LINE) {
        // every line counts the same, the last one (without a line end) too
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
