package dev.mailroom.cli.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Makes text safe to print on a terminal: a server's reply, a file name or a setting may carry control characters
 * or escape sequences that would move the cursor, recolour, retitle or hide output. C0 controls (except line feed
 * and tab), DEL, C1 controls and the Unicode line and paragraph separators are shown escaped ({@code \e}, {@code \r},
 * {@code \x07}, {@code \u009b}), so the user sees that they were there and nothing is executed.
 */
public final class TerminalText {
  private TerminalText() {}

  /**
   * Escapes the controls of plain text for a terminal; line feeds and tabs stay.
   *
   * @param text the text, may be null
   * @return the text with every other control shown escaped; "" for null
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String esc = escapeOf(c);
      if (esc == null) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      b.append(esc);
    }
    return b == null ? text : b.toString();
  }

  /**
   * Escapes, inside JSON text, the controls that JSON allows raw in strings (DEL, C1 controls, the line and
   * paragraph separators) as {@code \}{@code uXXXX}; the JSON stays valid and means the same.
   *
   * @param json JSON text (its C0 controls are already escaped by the JSON writer)
   * @return the same JSON with no raw control character
   */
  public static String json(String json) {
    StringBuilder b = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      boolean control = c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029
          || (c < 0x20 && c != '\n' && c != '\r' && c != '\t');
      if (!control) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(json.length() + 16).append(json, 0, i);
      }
      b.append(String.format("\\u%04x", (int) c));
    }
    return b == null ? json : b.toString();
  }

  /**
   * A stream that escapes, byte by byte, what {@link #escape(String)} escapes in UTF-8 text (C0 controls except line
   * feed and tab, DEL, and the C1 controls, which UTF-8 writes as 0xC2 0x80..0x9F): for log output that may quote a
   * server.
   *
   * @param out the terminal
   * @return the escaping stream
   */
  public static OutputStream stream(OutputStream out) {
    return new FilterOutputStream(out) {
      private boolean c2;

      @Override
      public void write(int b) throws IOException {
        b &= 0xff;
        if (c2) {
          c2 = false;
          if (b >= 0x80 && b <= 0x9f) {
            out.write(String.format("\\u%04x", b).getBytes(StandardCharsets.US_ASCII));
            return;
          }
          out.write(0xc2);
        }
        if (b == 0xc2) {
          c2 = true;
        } else if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
          String esc = escapeOf((char) b);
          out.write(esc.getBytes(StandardCharsets.US_ASCII));
        } else {
          out.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
          write(b[off + i]);
        }
      }

      @Override
      public void flush() throws IOException {
        if (c2) {
          c2 = false;
          out.write(0xc2);
        }
        out.flush();
      }
    };
  }

  private static String escapeOf(char c) {
    if (c == '\n' || c == '\t') {
      return null;
    }
    if (c == 0x1b) {
      return "\\e";
    }
    if (c == '\r') {
      return "\\r";
    }
    if (c < 0x20 || c == 0x7f) {
      return String.format("\\x%02x", (int) c);
    }
    if ((c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }
}
