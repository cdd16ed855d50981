package dev.mailroom.http.internal;

/** Plain text to simple, escaped HTML. */
public final class Html {
  private Html() {}

  /**
   * Escapes {@code & < > " '} and turns the text's paragraphs (separated by blank lines) into
   * {@code <p>} elements and its other line breaks into {@code <br>}. Any line-break convention is
   * accepted.
   */
  public static String fromText(String text) {
    String t = text.replace("\r\n", "\n").replace('\r', '\n');
    String[] paragraphs = t.strip().split("\n[ \t]*\n\\s*");
    StringBuilder b = new StringBuilder(t.length() + 32);
    for (String p : paragraphs) {
      if (p.isBlank()) {
        continue;
      }
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append("<p>");
      String[] lines = p.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          b.append("<br>\n");
        }
        escape(b, lines[i]);
      }
      b.append("</p>");
    }
    return b.toString();
  }

  /** Appends {@code s} with the HTML special characters escaped. */
  public static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
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
