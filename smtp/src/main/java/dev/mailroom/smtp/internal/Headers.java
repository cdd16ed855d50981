package dev.mailroom.smtp.internal;

import dev.mailroom.Address;
import dev.mailroom.internal.AddressSyntax;
import dev.mailroom.internal.Text;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds header values that are safe on the wire: RFC 2047 encoded words for non-ASCII text, RFC 2231
 * for non-ASCII file names (with an encoded-word {@code name=} fallback for Outlook), folded lines, and a
 * refusal of text whose encoded words would decode to a line break or control character.
 */
final class Headers {
  private static final String UTF8 = "UTF-8";
  /** RFC 2231 attribute-char that needs no percent encoding. */
  private static final String ATTR_CHARS = "!#$&+-.^_`|~";
  private static final int SEGMENT = 60;
  /** RFC 5322 specials: a display name with any of them is quoted. */
  private static final String PHRASE_SPECIALS = "()<>[]:;@\\,.\"";

  private Headers() {}

  /**
   * Refuses a value whose encoded words ({@code =?charset?B?...?=}) decode to a line break or control
   * character: a receiver that decodes them would show a forged header or body.
   *
   * @throws IllegalArgumentException naming the field
   */
  static void checkEncodedWords(String what, String value) {
    if (value.indexOf("=?") < 0) {
      return;
    }
    String decoded;
    try {
      decoded = MimeUtility.decodeText(value);
    } catch (UnsupportedEncodingException | RuntimeException e) {
      return;
    }
    int bad = Text.firstForbidden(decoded);
    if (bad >= 0) {
      throw new IllegalArgumentException(what + " contains an encoded word that decodes to a line break or"
          + " control character: " + Text.quote(value));
    }
  }

  /** An unstructured header value (subject, custom header): encoded when not ASCII, folded. */
  static String unstructured(String headerName, String value) {
    checkEncodedWords(headerName, value);
    String v = value;
    if (!isAscii(v) || hasLongWord(v)) {
      try {
        v = MimeUtility.encodeText(value, UTF8, isAscii(value) ? "Q" : null);
      } catch (UnsupportedEncodingException e) {
        throw new IllegalStateException("UTF-8 is always supported", e);
      }
    }
    return MimeUtility.fold(headerName.length() + 2, v);
  }

  /** An address list header value (From, To, Cc, Reply-To), folded between addresses. */
  static String addresses(String headerName, List<Address> list, boolean utf8) {
    List<String> parts = new ArrayList<>(list.size());
    for (Address a : list) {
      parts.add(address(headerName, a, utf8));
    }
    StringBuilder b = new StringBuilder();
    int used = headerName.length() + 2;
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      if (i > 0) {
        if (used + 2 + p.length() > 76) {
          b.append(",\r\n ");
          used = 1;
        } else {
          b.append(", ");
          used += 2;
        }
      }
      b.append(p);
      int nl = p.lastIndexOf('\n');
      used = nl >= 0 ? p.length() - nl - 1 : used + p.length();
    }
    return b.toString();
  }

  private static String address(String headerName, Address a, boolean utf8) {
    String email = utf8 ? a.email() : a.asciiEmail();
    if (a.name().isEmpty()) {
      return email;
    }
    String name = a.name().get();
    checkEncodedWords(headerName + " display name", name);
    String phrase;
    if (!isAscii(name)) {
      try {
        phrase = MimeUtility.encodeWord(name, UTF8, null);
      } catch (UnsupportedEncodingException e) {
        throw new IllegalStateException("UTF-8 is always supported", e);
      }
      phrase = MimeUtility.fold(1, phrase);
    } else {
      phrase = phrase(name);
    }
    return phrase + " <" + email + ">";
  }

  /** An ASCII display name as atoms separated by spaces, or as a quoted string when it has specials. */
  private static String phrase(String name) {
    boolean quote = name.contains("=?") || name.startsWith(" ") || name.endsWith(" ") || name.contains("  ");
    for (int i = 0; i < name.length() && !quote; i++) {
      char c = name.charAt(i);
      quote = PHRASE_SPECIALS.indexOf(c) >= 0 || c == '\t';
    }
    if (!quote) {
      return name;
    }
    StringBuilder b = new StringBuilder(name.length() + 2).append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /** {@code type; name="..."} with the file name as an encoded word when it is not plain ASCII. */
  static String contentType(String type, String filename) {
    checkEncodedWords("attachment filename", filename);
    String name;
    if (plainAscii(filename)) {
      name = MimeUtility.quote(filename, "\"\\ ()<>@,;:/[]?=\t");
      if (!name.startsWith("\"")) {
        name = "\"" + name + "\"";
      }
    } else {
      try {
        name = "\"" + MimeUtility.encodeText(filename, UTF8, "B") + "\"";
      } catch (UnsupportedEncodingException e) {
        throw new IllegalStateException("UTF-8 is always supported", e);
      }
    }
    return MimeUtility.fold("Content-Type: ".length(), type + "; name=" + name);
  }

  /**
   * {@code attachment; filename="..."}, or for names that are not plain ASCII the RFC 2231 form
   * {@code filename*=UTF-8''...} (split into {@code filename*0*}, {@code filename*1*}... when long).
   */
  static String disposition(String filename) {
    checkEncodedWords("attachment filename", filename);
    if (plainAscii(filename) && filename.length() <= 200) {
      String q = MimeUtility.quote(filename, "\"\\ ()<>@,;:/[]?=\t");
      if (!q.startsWith("\"")) {
        q = "\"" + q + "\"";
      }
      return "attachment;\r\n filename=" + q;
    }
    String pct = percentEncode(filename);
    if (pct.length() <= SEGMENT) {
      return "attachment;\r\n filename*=UTF-8''" + pct;
    }
    StringBuilder b = new StringBuilder("attachment");
    int i = 0;
    int n = 0;
    while (i < pct.length()) {
      int endIdx = Math.min(pct.length(), i + SEGMENT);
      // never split a %XX triplet
      if (endIdx < pct.length()) {
        int pctAt = pct.lastIndexOf('%', endIdx - 1);
        if (pctAt >= i && pctAt > endIdx - 3) {
          endIdx = pctAt;
        }
      }
      b.append(";\r\n filename*").append(n).append("*=");
      if (n == 0) {
        b.append("UTF-8''");
      }
      b.append(pct, i, endIdx);
      i = endIdx;
      n++;
    }
    return b.toString();
  }

  private static String percentEncode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length * 3);
    for (byte x : bytes) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || (c < 0x80 && ATTR_CHARS.indexOf(c) >= 0)) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  private static boolean plainAscii(String s) {
    return isAscii(s) && !s.contains("=?");
  }

  static boolean isAscii(String s) {
    return AddressSyntax.isAscii(s);
  }

  private static boolean hasLongWord(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        run = 0;
      } else if (++run > 900) {
        return true;
      }
    }
    return false;
  }
}
