package dev.mailroom.internal;

import java.util.Locale;

/** Checks and quoting for text that ends up in a header, an envelope or a log line. */
public final class Text {
  private Text() {}

  /**
   * The length of {@code s} in UTF-8 without encoding it: exact for valid text (an unpaired surrogate, which
   * {@code getBytes(UTF_8)} replaces by one '?', counts 3 bytes here).
   *
   * @param s the text
   * @return its UTF-8 length in bytes
   */
  public static long utf8Length(CharSequence s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

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

  /**
   * True for the characters that can hide what a file name really is: the bidirectional embeddings and
   * overrides (U+202A to U+202E), isolates (U+2066 to U+2069), the invisible marks and spaces U+200B
   * (zero width space), U+200E and U+200F (left-to-right and right-to-left marks), U+FEFF (zero width
   * no-break space), U+061C (Arabic letter mark) and U+00AD (soft hyphen). The joiners U+200C and U+200D
   * are not among them: Bengali and other scripts need them.
   */
  public static boolean isHiding(int c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200B || c == 0x200E
        || c == 0x200F || c == 0xFEFF || c == 0x061C || c == 0x00AD;
  }

  /**
   * True for the characters that can make displayed text (a subject, a display name) read differently
   * from what it is: the bidirectional embeddings, overrides and isolates, U+200B and U+FEFF. The marks
   * U+200E, U+200F and U+061C, which right-to-left text uses, and the joiners U+200C and U+200D stay allowed.
   */
  public static boolean isDisguising(int c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200B || c == 0xFEFF;
  }

  /**
   * Checks a file name for characters that can hide its real extension ({@link #isHiding(int)}).
   *
   * @param what what the value is, for the message
   * @param value the value
   * @return null if none, else the message saying what was found and why it is refused
   */
  public static String hidingProblem(String what, String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isHiding(value.charAt(i))) {
        return what + " must not contain invisible or text-direction characters (found "
            + String.format(Locale.ROOT, "U+%04X at index %d", (int) value.charAt(i), i)
            + "): they can hide the real extension of a file, so that invoice\\u202Efdp.exe shows as"
            + " invoiceexe.pdf. Remove them: " + quote(value);
      }
    }
    return null;
  }

  /**
   * Checks displayed text (subject, display name, sender name) for characters that can disguise it
   * ({@link #isDisguising(int)}).
   *
   * @param what what the value is, for the message
   * @param value the value
   * @return null if none, else the message saying what was found and why it is refused
   */
  public static String disguisingProblem(String what, String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isDisguising(value.charAt(i))) {
        return what + " must not contain text-direction overrides, isolates or invisible characters (found "
            + String.format(Locale.ROOT, "U+%04X at index %d", (int) value.charAt(i), i)
            + "): they make the text show differently from what it is. Remove them: " + quote(value);
      }
    }
    return null;
  }

  /**
   * {@link #requireHeaderSafe} plus {@link #disguisingProblem}: for a subject or display name.
   *
   * @param what what the value is, for the message
   * @param value the value
   * @return the value
   * @throws IllegalArgumentException with the reason
   */
  public static String requireDisplaySafe(String what, String value) {
    requireHeaderSafe(what, value, true);
    String problem = disguisingProblem(what, value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return value;
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
   * {@link #firstForbidden(CharSequence)} refuses (a receiver decoding it would see a line break), or an
   * encoded word in a charset Java does not know (such as UTF-7), which cannot be checked.
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
        // a charset Java cannot decode (UTF-7, for one) may still decode to a line break at the receiver:
        // what cannot be checked is refused
        return true;
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
   * Quotes a value for an error message: in double quotes, with control characters and the characters
   * of {@link #isHiding(int)} shown as escapes and long values cut at 200 characters.
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
              || Character.isSurrogate(c) || isHiding(c)) {
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
   * Makes server-supplied text safe to show and log with the one {@link Sanitizer}: line breaks become
   * spaces, controls, escape sequences, separators and bidi controls are shown escaped, and the result is
   * cut to {@code max} characters. Text that may echo a secret goes through
   * {@link Sanitizer#clean(String, Redactor, int)} instead.
   */
  public static String sanitize(String text, int max) {
    return Sanitizer.clean(text, max);
  }
}
