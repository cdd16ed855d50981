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
      int end = i;
      while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
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

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\u000b';
  }

  /** Appends {@code s} with the HTML special characters escaped. */
  public static void escape(StringBuilder b, String s) {
    escape(b, s, 0, s.length());
  }

  private static void escape(StringBuilder b, String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
  }
}
