package dev.mailroom.internal.mime;

import dev.mailroom.Address;
import dev.mailroom.Attachment;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
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
  private static final String MIME_VERSION = "MIME-Version: 1.0";

  private final List<String> headerLines;
  private final Body body;
  private final String messageId;
  private final Address utf8Address;
  private final boolean utf8Sender;
  private final DkimSigner dkim;
  private final long textUtf8Length;
  /** See {@link #headerBlock()}; racy but idempotent. */
  private byte[] headerBlock;

  private PreparedMime(List<String> headerLines, Body body, String messageId, Address utf8Address,
      boolean utf8Sender, DkimSigner dkim, long textUtf8Length) {
    this.headerLines = List.copyOf(headerLines);
    this.textUtf8Length = textUtf8Length;
    this.body = body;
    this.messageId = messageId;
    this.utf8Address = utf8Address;
    this.utf8Sender = utf8Sender;
    this.dkim = dkim;
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
    return of(e, from, envelopeFrom, envelopeRecipients, (EmailSettings) null);
  }

  /**
   * Builds the message as the settings want it: DKIM-signed when they have a {@link EmailSettings#dkim()},
   * and over SMTP with the email's tags and metadata in the headers the settings' provider documents
   * ({@link TagHeaders}).
   *
   * @param e the email
   * @param from the From address
   * @param envelopeFrom the envelope sender (decides, with the recipients, whether SMTPUTF8 is needed)
   * @param envelopeRecipients the envelope recipients
   * @param settings the settings, or null for neither
   * @return the message
   * @throws IllegalArgumentException if a header value cannot be sent safely, or tags or metadata cannot
   *     be carried (the message says which)
   */
  public static PreparedMime of(Email e, Address from, Address envelopeFrom, List<Address> envelopeRecipients,
      EmailSettings settings) {
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
    h.add(dateHeader());
    h.add(fromHeader(from, utf8));
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
    h.addAll(TagHeaders.of(e, settings));
    DkimSigner dkim = settings == null ? null : settings.dkim().map(DkimSigner::of).orElse(null);
    long[] textLength = new long[1];
    Body body = content(e, new Boundaries(e.idempotencyKey()), textLength);
    return new PreparedMime(h, body, id, utf8Address, utf8Sender, dkim, textLength[0]);
  }

  /** The Date header of the current second: formatted once a second, not for every message. */
  private static volatile DateLine date;

  private record DateLine(long second, String line) {}

  private static String dateHeader() {
    long second = Math.floorDiv(System.currentTimeMillis(), 1000L);
    DateLine d = date;
    if (d == null || d.second != second) {
      d = new DateLine(second, "Date: " + DATE.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second),
          java.time.ZoneId.systemDefault())));
      date = d;
    }
    return d.line;
  }

  /**
   * The From header of the last sender (a mailer sends most emails from its settings' one address): an
   * {@link Address} is immutable, so the same instance gives the same header.
   */
  private static volatile FromLine lastFrom;

  private record FromLine(Address from, boolean utf8, String line) {}

  private static String fromHeader(Address from, boolean utf8) {
    FromLine f = lastFrom;
    if (f == null || f.from != from || f.utf8 != utf8) {
      f = new FromLine(from, utf8, "From: " + Headers.addresses("From", List.of(from), utf8));
      lastFrom = f;
    }
    return f.line;
  }

  /** The message's own header lines (folded, without CRLF), before MIME-Version and the body's. */
  public List<String> headerLines() {
    return headerLines;
  }

  /** The body. */
  public Body body() {
    return body;
  }

  /**
   * The UTF-8 length of the email's text and HTML bodies as given, before their line breaks become CRLF
   * (for a size estimate, without encoding them again).
   */
  public long textUtf8Length() {
    return textUtf8Length;
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
   * Writes the message: the header lines, MIME-Version, the body's headers, a blank line and the body,
   * ending with a line end; with DKIM, the DKIM-Signature header first (the body is written twice, once
   * to hash it, so attachments are read twice and never held in memory). Attachments are read from their
   * sources while writing. These are exactly the bytes the SMTP sender sends between DATA and the final
   * dot, before dot-stuffing. Does not close {@code os}.
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
    if (dkim != null) {
      DkimSigner.BodyHash hash = dkim.bodyHash();
      writeBody(hash);
      String signature = dkim.sign(allHeaders(), hash.finish());
      out.write(signature.getBytes(StandardCharsets.UTF_8));
      out.write(Body.CRLF);
    }
    out.write(headerBlock());
    writeBody(out);
    out.flush();
  }

  /** Every header line with its CRLF, then the empty line: encoded once, the same for every attempt. */
  private byte[] headerBlock() {
    byte[] block = headerBlock;
    if (block == null) {
      List<String> headers = allHeaders();
      int size = 2;
      boolean ascii = true;
      for (String h : headers) {
        size += h.length() + 2;
        for (int i = 0; i < h.length() && ascii; i++) {
          ascii = h.charAt(i) < 0x80;
        }
      }
      if (ascii) {
        // the common case: one array of the exact size, each character one byte
        block = new byte[size];
        int o = 0;
        for (String h : headers) {
          for (int i = 0; i < h.length(); i++) {
            block[o++] = (byte) h.charAt(i);
          }
          block[o++] = '\r';
          block[o++] = '\n';
        }
        block[o++] = '\r';
        block[o] = '\n';
      } else {
        StringBuilder b = new StringBuilder(size + 64);
        for (String h : headers) {
          b.append(h).append("\r\n");
        }
        block = b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
      }
      headerBlock = block;
    }
    return block;
  }

  /** Every header line in order: the message's, MIME-Version and the body's. */
  private List<String> allHeaders() {
    List<String> bodyHeaders = body.headers();
    List<String> all = new ArrayList<>(headerLines.size() + 1 + bodyHeaders.size());
    all.addAll(headerLines);
    all.add(MIME_VERSION);
    all.addAll(bodyHeaders);
    return all;
  }

  /** The body, ending with a line end (as SMTP puts it on the wire) unless it is empty. */
  private void writeBody(OutputStream out) throws IOException {
    LineEnds tracked = new LineEnds(out);
    body.write(tracked);
    if (!tracked.atLineStart()) {
      out.write(Body.CRLF);
    }
  }

  /** Passes bytes on and remembers whether the last ones were a line end (or none were written). */
  private static final class LineEnds extends java.io.FilterOutputStream {
    private int last1 = '\n';
    private int last2 = '\r';

    LineEnds(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      last2 = last1;
      last1 = b & 0xff;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      if (len >= 2) {
        last2 = b[off + len - 2] & 0xff;
        last1 = b[off + len - 1] & 0xff;
      } else if (len == 1) {
        last2 = last1;
        last1 = b[off] & 0xff;
      }
    }

    boolean atLineStart() {
      return last1 == '\n' && last2 == '\r';
    }
  }

  /** The body; adds the UTF-8 length of the email's text and HTML, as given, to {@code textLength[0]}. */
  private static Body content(Email e, Boundaries boundaries, long[] textLength) {
    Body body = null;
    boolean text = e.text().isPresent();
    boolean html = e.html().isPresent();
    Body htmlPart = null;
    if (html) {
      Body.Text part = text(e.html().get(), "text/html");
      textLength[0] += part.sourceLength();
      htmlPart = part;
    }
    Body.Text textPart = null;
    if (text) {
      textPart = text(e.text().get(), "text/plain");
      textLength[0] += textPart.sourceLength();
    }
    if (html && !e.inline().isEmpty()) {
      // RFC 2387: the HTML first, then the images it shows
      List<Body> related = new ArrayList<>(e.inline().size() + 1);
      related.add(htmlPart);
      for (Map.Entry<String, Attachment> x : e.inline().entrySet()) {
        Attachment a = x.getValue();
        related.add(new Body.File(a, Headers.contentType(a.contentType(), a.filename()),
            Headers.disposition("inline", a.filename()), x.getKey()));
      }
      htmlPart = boundaries.multi("related", related, "text/html");
    }
    if (text && html) {
      body = boundaries.multi("alternative", List.of(textPart, htmlPart), null);
    } else if (html) {
      body = htmlPart;
    } else if (text) {
      body = textPart;
    } else if (e.attachments().isEmpty()) {
      body = text("", "text/plain");
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
    return boundaries.multi("mixed", parts, null);
  }

  /**
   * Multipart boundaries derived from the email's idempotency key and a secret of this JVM: the same email
   * gets the same boundaries in every attempt and in {@link #writeTo}'s output (so an archived .eml is
   * byte for byte what was sent, but for the Date), and nobody outside can predict them.
   */
  private static final class Boundaries {
    private static final byte[] SECRET = new byte[32];

    static {
      new java.security.SecureRandom().nextBytes(SECRET);
    }

    private final String idempotencyKey;
    private int n;

    Boundaries(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
    }

    Body.Multi multi(String subtype, List<Body> parts, String type) {
      try {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(SECRET);
        sha.update(idempotencyKey.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) n++);
        byte[] r = java.util.Arrays.copyOf(sha.digest(), 18);
        return new Body.Multi(subtype, Body.Multi.boundary(r), List.copyOf(parts), type);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A text part: the same bytes and encoding as {@code crlf(text).getBytes(UTF_8)} and {@link #encoding}
   * of them (CrlfTest compares the two), but from one UTF-8 encoding of the text, one scan of its bytes that
   * finds the line breaks and decides the encoding, and no copy at all for 7bit text: when a line break is not
   * yet CRLF, the part writes it as CRLF ({@link #writeCrlf}); quoted-printable and base64 encode a CRLF copy.
   * In UTF-8 CR and LF are single bytes that occur in no other character, so normalizing after encoding
   * is the same as before.
   */
  static Body.Text text(String text, String type) {
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    TextScan scan = new TextScan(raw);
    String encoding = scan.encoding();
    if (scan.added == 0 || encoding.equals("7bit")) {
      return new Body.Text(type, raw, scan.added > 0, encoding, raw.length);
    }
    return new Body.Text(type, crlf(raw, raw.length + scan.added), false, encoding, raw.length);
  }

  /**
   * One pass over a text's UTF-8 bytes: the line breaks that are not yet CRLF, the non-ASCII bytes, and
   * whether a line is longer than {@value #MAX_7BIT_LINE} octets (CR, LF and CRLF each end a line).
   */
  private static final class TextScan {
    final int added;
    final int nonAscii;
    final boolean longLine;
    final int length;

    TextScan(byte[] raw) {
      int n = raw.length;
      int add = 0;
      int high = 0;
      int line = 0;
      boolean tooLong = false;
      for (int i = 0; i < n; i++) {
        byte b = raw[i];
        if (b == '\n' || b == '\r') {
          if (b == '\r' && i + 1 < n && raw[i + 1] == '\n') {
            i++;
          } else {
            // a bare LF or CR becomes CRLF: one byte more
            add++;
          }
          line = 0;
        } else {
          if (b < 0) {
            high++;
          }
          if (++line > MAX_7BIT_LINE) {
            tooLong = true;
          }
        }
      }
      this.added = add;
      this.nonAscii = high;
      this.longLine = tooLong;
      this.length = n + add;
    }

    /** The transfer encoding of the text once its line breaks are CRLF. */
    String encoding() {
      if (nonAscii == 0 && !longLine) {
        return "7bit";
      }
      // base64 is shorter once more than about 40 % of the bytes would need =XX
      return nonAscii * 5 > length * 2 ? "base64" : "quoted-printable";
    }
  }

  /** {@code raw} with every bare CR and LF as CRLF, into an array of {@code size} bytes (exactly filled). */
  static byte[] crlf(byte[] raw, int size) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
    try {
      writeCrlf(raw, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code raw} with every bare CR and LF as CRLF (CRLF stays); the text between in runs. */
  static void writeCrlf(byte[] raw, OutputStream out) throws IOException {
    int n = raw.length;
    int start = 0;
    for (int i = 0; i < n; i++) {
      byte b = raw[i];
      if (b == '\r' && i + 1 < n && raw[i + 1] == '\n') {
        // already CRLF: stays in the run
        i++;
      } else if (b == '\n' || b == '\r') {
        out.write(raw, start, i - start);
        out.write(Body.CRLF);
        start = i + 1;
      }
    }
    out.write(raw, start, n - start);
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
   * not ASCII, else quoted-printable: the rule of every text part, for a text's UTF-8 bytes as they will be
   * once their line breaks are CRLF.
   *
   * @param bytes the text's UTF-8 bytes
   * @return {@code 7bit}, {@code quoted-printable} or {@code base64}
   */
  public static String encoding(byte[] bytes) {
    return new TextScan(bytes).encoding();
  }
}
