package dev.mailroom.cli.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small, valid one-page PDF with lines of text (Helvetica, ASCII), built by hand: enough for an
 * invoice attachment in the demo and in tests, without a PDF library.
 */
public final class MiniPdf {
  private MiniPdf() {}

  /**
   * Creates a PDF with a title and lines of text.
   *
   * @param title the first line, set larger
   * @param lines more lines
   * @return the PDF file's bytes
   */
  public static byte[] create(String title, List<String> lines) {
    StringBuilder content = new StringBuilder();
    content.append("BT /F1 20 Tf 72 770 Td (").append(escape(title)).append(") Tj ET\n");
    int y = 730;
    for (String line : lines) {
      content.append("BT /F1 11 Tf 72 ").append(y).append(" Td (").append(escape(line)).append(") Tj ET\n");
      y -= 16;
    }
    byte[] stream = content.toString().getBytes(StandardCharsets.US_ASCII);
    List<String> objects = new ArrayList<>();
    objects.add("<< /Type /Catalog /Pages 2 0 R >>");
    objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        + " /Resources << /Font << /F1 5 0 R >> >> >>");
    objects.add("<< /Length " + stream.length + " >>\nstream\n" + new String(stream, StandardCharsets.US_ASCII)
        + "endstream");
    objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    objects.add("<< /Producer (Mailroom demo) /Title (" + escape(title) + ") >>");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(out.size());
      write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
    }
    int xref = out.size();
    StringBuilder t = new StringBuilder();
    t.append("xref\n0 ").append(objects.size() + 1).append('\n');
    t.append("0000000000 65535 f \n");
    for (int off : offsets) {
      t.append(String.format("%010d 00000 n \n", off));
    }
    t.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R /Info ").append(objects.size())
        .append(" 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    write(out, t.toString());
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    out.write(b, 0, b.length);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '(' || c == ')' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append('?');
      }
    }
    return b.toString();
  }
}
