package dev.mailroom.http.internal;

/** Plain text to simple, escaped HTML. */
public final class Html {
  private Html() {}

  /**
   * Escapes {@code & < > " '} and turns the text's paragraphs (separated by blank lines) into
   * {@code <p>} elements and its other line breaks into {@code <br>}. Any line-break convention is
   * accepted ({@code \r\n}, {@code \n}, {@code \r}).
   */
  public static String fromText(String text) {
    int n = text.length();
    StringBuilder b = new StringBuilder(n + n / 16 + 16);
    boolean inParagraph = false;
    boolean blankSeen = false;
    int i = 0;
    while (i < n) {
      int end = lineEnd(text, i, n);
      int from = i;
      int to = end;
      while (from < to && isBlank(text.charAt(from))) {
        from++;
      }
      while (to > from && isBlank(text.charAt(to - 1))) {
        to--;
      }
      if (from == to) {
        blankSeen = true;
      } else {
        if (!inParagraph) {
          b.append("<p>");
          inParagraph = true;
        } else if (blankSeen) {
          b.append("</p>\n<p>");
        } else {
          b.append("<br>\n");
        }
        blankSeen = false;
        // keep the indentation of lines inside a paragraph
        escape(b, text, b.length() > 3 && b.charAt(b.length() - 1) == '\n' ? i : from, to);
      }
      // skip one line break: \r\n, \r or \n
      if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
        end++;
      }
      i = end + 1;
    }
    if (inParagraph) {
      b.append("</p>");
    }
    return b.toString();
  }

  /** The index of the first {@code \n} or {@code \r} at or after {@code from}, or {@code n}. */
  private static int lineEnd(String s, int from, int n) {
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return n;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\u000b';
  }

  /** Appends {@code s} with the HTML special characters escaped. */
  public static void escape(StringBuilder b, String s) {
    escape(b, s, 0, s.length());
  }

  /** Appends {@code s[from, to)} escaped, copying the runs between special characters at once. */
  private static void escape(StringBuilder b, String s, int from, int to) {
    int run = from;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c > '>') {
        continue; // the special characters are all at most '>'
      }
      String entity = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (entity != null) {
        b.append(s, run, i).append(entity);
        run = i + 1;
      }
    }
    b.append(s, run, to);
  }
}
