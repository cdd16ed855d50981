package dev.mailroom.cli.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import dev.mailroom.internal.Sanitizer;

/**
 * Shows multi-line text on a terminal with core's one rule for unsafe characters
 * ({@link Sanitizer#mustEscape(int)}: C0 and C1 controls, so every escape sequence, DEL, the line and paragraph
 * separators, bidirectional and invisible format characters), escaped the way {@link Sanitizer} escapes them
 * ({@code \u001b}); unlike {@link Sanitizer#clean(String, int)} it keeps line feeds and tabs, because a report is
 * many lines. A server's reply, a file name or a setting cannot move the cursor, recolour, retitle or hide output.
 */
public final class TerminalText {
  private TerminalText() {}

  /**
   * Escapes the unsafe characters of plain text for a terminal; line feeds and tabs stay.
   *
   * @param text the text, may be null
   * @return the text with every unsafe character shown escaped; "" for null
   */
  public static String escape(String text) {
    return escape(text, false);
  }

  /**
   * Escapes, inside JSON text, the unsafe characters that JSON allows raw in strings (C1 controls, DEL, separators,
   * bidi and format characters) as {@code \}{@code uXXXX}: the JSON stays valid and means the same.
   *
   * @param json JSON text (its C0 controls are already escaped by the JSON writer)
   * @return the same JSON with no unsafe character
   */
  public static String json(String json) {
    return escape(json, true);
  }

  private static String escape(String text, boolean json) {
    if (text == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      boolean keep = cp == '\n' || cp == '\t' || (json && cp == '\r') || !Sanitizer.mustEscape(cp);
      if (!keep && b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (b != null) {
        if (keep) {
          b.appendCodePoint(cp);
        } else {
          b.append(String.format(Locale.ROOT, "\\u%04x", cp));
        }
      }
      i += n;
    }
    return b == null ? text : b.toString();
  }

  /**
   * A stream that escapes, byte by byte, the controls of UTF-8 text (C0 except line feed and tab, DEL, and the C1
   * controls, which UTF-8 writes as 0xC2 0x80..0x9F), as {@link #escape(String)} does: for log lines, which may
   * quote a server, written by a logging backend that Mailroom does not control.
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
            out.write(String.format(Locale.ROOT, "\\u%04x", b).getBytes(StandardCharsets.US_ASCII));
            return;
          }
          out.write(0xc2);
        }
        if (b == 0xc2) {
          c2 = true;
        } else if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
          out.write(String.format(Locale.ROOT, "\\u%04x", b).getBytes(StandardCharsets.US_ASCII));
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
}
