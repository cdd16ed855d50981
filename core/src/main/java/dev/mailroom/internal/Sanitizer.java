package dev.mailroom.internal;

import java.util.Locale;

/**
 * The one sanitizer for text a server (or anything outside Mailroom) wrote, before it reaches a person or
 * a log line: {@code SendException} messages, {@code Failure.serverReply()}, {@code SendReceipt.serverReply()},
 * transcripts, the diagnostics' text and JSON, the command line.
 *
 * <ul>
 *   <li>Secrets first: when a {@link Redactor} is given it runs on the raw text, so that no escaping or
 *       shortening can split an echoed secret into pieces it no longer recognises.</li>
 *   <li>Line breaks, tabs and runs of spaces become one space: a reply cannot start a new log line.</li>
 *   <li>Every other C0 and C1 control (ESC, so every terminal escape sequence; BEL; DEL; CSI U+009B; NEL
 *       U+0085), the line and paragraph separators U+2028 and U+2029, bidirectional controls (U+061C,
 *       U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), invisible format characters (U+200B, U+2060,
 *       U+FEFF, U+00AD...) and unpaired surrogates are shown escaped as {@code \u001b}: visible, inert.
 *       The joiners U+200C and U+200D stay (Bengali and other scripts need them).</li>
 *   <li>The result is at most {@code max} characters; a longer text is cut (never inside an escape or a
 *       surrogate pair) and ends with {@code ...}.</li>
 * </ul>
 */
public final class Sanitizer {
  private static final String ELLIPSIS = "...";

  private Sanitizer() {}

  /**
   * Redacts, then sanitizes (see the class description).
   *
   * @param raw the text as received; null gives ""
   * @param redactor the secrets to remove first
   * @param max the most characters of the result, at least 4
   * @return the safe text
   */
  public static String clean(String raw, Redactor redactor, int max) {
    return clean(redactor.redact(raw), max);
  }

  /**
   * Sanitizes text that holds no secret (see the class description).
   *
   * @param raw the text; null gives ""
   * @param max the most characters of the result, at least 4
   * @return the safe text
   */
  public static String clean(String raw, int max) {
    if (raw == null) {
      return "";
    }
    int limit = Math.max(max, ELLIPSIS.length() + 1);
    if (unchanged(raw, limit)) {
      return raw; // the common case (a mail server's reply, a message id): nothing to copy
    }
    StringBuilder b = new StringBuilder(Math.min(raw.length(), limit) + 8);
    boolean space = false;
    boolean cut = false;
    int i = 0;
    while (i < raw.length()) {
      int cp = raw.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (Character.isHighSurrogate(raw.charAt(i)) && Character.charCount(cp) == 1) {
        next = i + 1; // unpaired
      }
      if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
        space = b.length() > 0;
        i = next;
        continue;
      }
      String escaped = mustEscape(cp) ? escape(cp) : null;
      int need = (space ? 1 : 0) + (escaped != null ? escaped.length() : next - i);
      if (b.length() + need > limit) {
        cut = true;
        break;
      }
      if (space) {
        b.append(' ');
        space = false;
      }
      if (escaped != null) {
        b.append(escaped);
      } else {
        b.append(raw, i, next);
      }
      i = next;
    }
    if (cut) {
      // make room for the ellipsis without splitting an escape or a surrogate pair
      int keep = limit - ELLIPSIS.length();
      while (b.length() > keep) {
        b.setLength(pieceStart(b, b.length()));
      }
      b.append(ELLIPSIS);
    }
    return b.toString();
  }

  /**
   * True if {@link #clean(String, int)} would return {@code raw} as it is: printable ASCII within the limit,
   * with single blanks between words and none at either end.
   */
  private static boolean unchanged(String raw, int limit) {
    int n = raw.length();
    if (n > limit) {
      return false;
    }
    char previous = ' ';
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c >= 0x7f || (c == ' ' && previous == ' ')) {
        return false;
      }
      previous = c;
    }
    return previous != ' ' || n == 0;
  }

  /**
   * True if {@code cp} is shown escaped by {@link #clean(String, int)}.
   *
   * @param cp a code point
   * @return true for controls, separators, bidi and invisible format characters and surrogates
   */
  public static boolean mustEscape(int cp) {
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      return true;
    }
    if (cp == 0x200C || cp == 0x200D) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
  }

  /**
   * Returns the first index of a character that {@link #mustEscape(int)} would escape, or -1. Line breaks
   * and tabs count.
   *
   * @param s the text
   * @return the index, or -1
   */
  public static int firstUnsafe(CharSequence s) {
    for (int i = 0; i < s.length(); ) {
      int cp = Character.codePointAt(s, i);
      if (mustEscape(cp)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  private static String escape(int cp) {
    return String.format(Locale.ROOT, "\\u%04x", cp);
  }

  /** The start of the last piece (escape, surrogate pair, space or character) that ends at {@code end}. */
  private static int pieceStart(StringBuilder b, int end) {
    if (end >= 6 && b.charAt(end - 6) == '\\' && b.charAt(end - 5) == 'u' && isHex(b, end - 4, end)) {
      return end - 6;
    }
    if (end >= 2 && Character.isLowSurrogate(b.charAt(end - 1)) && Character.isHighSurrogate(b.charAt(end - 2))) {
      return end - 2;
    }
    return end - 1;
  }

  private static boolean isHex(StringBuilder b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(b.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
