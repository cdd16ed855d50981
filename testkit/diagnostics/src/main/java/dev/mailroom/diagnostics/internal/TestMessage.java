package dev.mailroom.diagnostics.internal;

import dev.mailroom.Address;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The small plain-text message the diagnostics send as "test email": RFC 5322 headers (non-ASCII words
 * encoded per RFC 2047), a base64 UTF-8 body, CRLF line ends, ready for SMTP DATA (dot-stuffed, ending
 * with the final dot line).
 */
public final class TestMessage {
  private TestMessage() {}

  /**
   * Builds the DATA content.
   *
   * @param from the sender
   * @param to the recipient
   * @param subject the subject
   * @param body the body text
   * @return the content, dot-stuffed, with the final {@code .} line
   */
  public static byte[] data(Address from, String to, String subject, String body) {
    StringBuilder m = new StringBuilder();
    m.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
        .format(ZonedDateTime.now())).append("\r\n");
    m.append("From: ").append(mailbox(from)).append("\r\n");
    m.append("To: <").append(to).append(">\r\n");
    m.append("Subject: ").append(unstructured(subject)).append("\r\n");
    m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(from.asciiDomain()).append(">\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: text/plain; charset=UTF-8\r\n");
    m.append("Content-Transfer-Encoding: base64\r\n");
    m.append("X-Mailer: Mailroom diagnostics\r\n");
    m.append("\r\n");
    String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(body.getBytes(StandardCharsets.UTF_8));
    m.append(b64).append("\r\n");
    // base64 lines never start with '.', headers are ours: no dot-stuffing needed beyond this
    m.append(".\r\n");
    return m.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String mailbox(Address a) {
    String addr = "<" + a.asciiEmail() + ">";
    return a.name().map(n -> phrase(n) + " " + addr).orElse(addr);
  }

  private static boolean ascii(String text) {
    return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  /** A display name: ASCII quoted as needed, anything else as RFC 2047 encoded words. */
  static String phrase(String text) {
    if (ascii(text)) {
      return text.chars().anyMatch(c -> "()<>[]:;@\\,.\"".indexOf(c) >= 0)
          ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : text;
    }
    return encoded(text);
  }

  /** An unstructured value (Subject): ASCII as is, anything else as RFC 2047 encoded words. */
  static String unstructured(String text) {
    return ascii(text) ? text : encoded(text);
  }

  /** Encoded words of at most 75 characters each, folded, never splitting a character. */
  private static String encoded(String text) {
    StringBuilder out = new StringBuilder();
    StringBuilder chunk = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > 45) {
        appendWord(out, chunk);
        chunk.setLength(0);
        bytes = 0;
      }
      chunk.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    appendWord(out, chunk);
    return out.toString();
  }

  private static void appendWord(StringBuilder out, CharSequence chunk) {
    if (chunk.length() == 0) {
      return;
    }
    if (out.length() > 0) {
      out.append("\r\n ");
    }
    out.append("=?UTF-8?B?").append(Base64.getEncoder().encodeToString(
        chunk.toString().getBytes(StandardCharsets.UTF_8))).append("?=");
  }
}
