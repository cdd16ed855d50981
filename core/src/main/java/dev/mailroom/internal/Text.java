package dev.mailroom.internal;

import java.util.Locale;

/** Checks and quoting for text that ends up in a header, an envelope or a log line. */
public final class Text {
  private Text() {}

  /**
   * Returns the index of the first character that must never appear in a header value, address, display
   * name or filename, or -1. Forbidden: C0 controls except TAB (so CR, LF and NUL), DEL, the C1 control
   * NEL (U+0085, which some charsets turn into a line break), the Unicode line and paragraph separators
   * (U+2028, U+2029) and unpaired surrogates.
   */
  public static int firstForbidden(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** True if {@link #firstForbidden(CharSequence)} finds nothing. */
  public static boolean isHeaderSafe(CharSequence s) {
    return firstForbidden(s) < 0;
  }

  /**
   * Throws {@link IllegalArgumentException} if the value holds a line break or other control character.
   *
   * @param what what the value is, for the message, e.g. {@code "subject"}
   * @param value the value
   * @param echo whether the message may quote the value (false for secrets)
   * @return the value
   */
  public static String requireHeaderSafe(String what, String value, boolean echo) {
    int i = firstForbidden(value);
    if (i >= 0) {
      throw new IllegalArgumentException(forbiddenMessage(what, value, i, echo));
    }
    if (hasDangerousEncodedWord(value)) {
      throw new IllegalArgumentException(what + " must not contain an encoded word (=?charset?Q/B?...?=) that"
          + " decodes to a line break or control character" + (echo ? ": " + quote(value) : ""));
    }
    return value;
  }

  private static final java.util.regex.Pattern ENCODED_WORD =
      java.util.regex.Pattern.compile("=\\?([^?\\s]{1,40})\\?([QqBb])\\?([^?\\s]*)\\?=");

  /**
   * True if the text holds an RFC 2047 encoded word that decodes to a character that
   * {@link #firstForbidden(CharSequence)} refuses: a receiver decoding it would see a line break.
   */
  public static boolean hasDangerousEncodedWord(String value) {
    if (value.indexOf("=?") < 0) {
      return false;
    }
    java.util.regex.Matcher m = ENCODED_WORD.matcher(value);
    while (m.find()) {
      byte[] bytes;
      String text = m.group(3);
      if (m.group(2).equalsIgnoreCase("B")) {
        try {
          bytes = java.util.Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          continue;
        }
      } else {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
          char c = text.charAt(i);
          if (c == '=' && i + 2 < text.length()) {
            int hi = Character.digit(text.charAt(i + 1), 16);
            int lo = Character.digit(text.charAt(i + 2), 16);
            if (hi >= 0 && lo >= 0) {
              out.write(hi * 16 + lo);
              i += 2;
              continue;
            }
          }
          out.write(c == '_' ? ' ' : c);
        }
        bytes = out.toByteArray();
      }
      java.nio.charset.Charset cs;
      try {
        cs = java.nio.charset.Charset.forName(m.group(1).replaceAll("\\*.*$", ""));
      } catch (IllegalArgumentException e) {
        cs = java.nio.charset.StandardCharsets.ISO_8859_1;
      }
      String decoded = new String(bytes, cs);
      if (firstForbidden(decoded) >= 0) {
        return true;
      }
      // raw bytes too: a charset we do not know may still turn 0x0A into a line feed
      for (byte x : bytes) {
        if ((x >= 0 && x < 0x20 && x != '\t') || x == 0x7f) {
          return true;
        }
      }
    }
    return false;
  }

  /** The message for a value that holds a forbidden character at index {@code i}. */
  public static String forbiddenMessage(String what, String value, int i, boolean echo) {
    String found = String.format(Locale.ROOT, "U+%04X at index %d", (int) value.charAt(i), i);
    return what + " must not contain line breaks or control characters (found " + found + ")"
        + (echo ? ": " + quote(value) : "");
  }

  /**
   * Quotes a value for an error message: in double quotes, with control characters shown as escapes
   * and long values cut at 200 characters.
   */
  public static String quote(String value) {
    StringBuilder b = new StringBuilder(Math.min(value.length(), 200) + 8).append('"');
    int n = Math.min(value.length(), 200);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
              || Character.isSurrogate(c)) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (value.length() > n) {
      b.append("...");
    }
    return b.append('"').toString();
  }

  /**
   * Makes server-supplied text safe to show and log: control characters become spaces, runs of
   * whitespace collapse and the result is cut to {@code max} characters.
   */
  public static String sanitize(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max + 1));
    boolean space = false;
    for (int i = 0; i < text.length() && b.length() <= max; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean blank = Character.isWhitespace(cp) || Character.isISOControl(cp) || cp == 0x2028
          || cp == 0x2029 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
      if (blank) {
        space = b.length() > 0;
      } else {
        if (space) {
          b.append(' ');
          space = false;
        }
        b.appendCodePoint(cp);
      }
    }
    if (b.length() > max) {
      int cut = Math.max(0, max - 3);
      if (cut > 0 && Character.isHighSurrogate(b.charAt(cut - 1))) {
        cut--;
      }
      b.setLength(cut);
      b.append("...");
    }
    return b.toString();
  }
}
