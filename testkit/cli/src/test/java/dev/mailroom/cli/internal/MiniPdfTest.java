package dev.mailroom.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MiniPdfTest {
  @Test
  void writesAStructurallyValidPdf() {
    byte[] pdf = MiniPdf.create("Invoice (INV-1)", List.of("Total: 270.00", "Thank you!"));
    String text = new String(pdf, StandardCharsets.ISO_8859_1);

    assertThat(text).startsWith("%PDF-1.4\n").endsWith("%%EOF\n");
    assertThat(text).contains("(Invoice \\(INV-1\\)) Tj");
    // startxref points at the xref table, and every xref entry at its object
    Matcher start = Pattern.compile("startxref\n(\\d+)\n").matcher(text);
    assertThat(start.find()).isTrue();
    int xref = Integer.parseInt(start.group(1));
    assertThat(text.substring(xref)).startsWith("xref\n0 7\n0000000000 65535 f \n");
    Matcher entry = Pattern.compile("(\\d{10}) 00000 n \n").matcher(text.substring(xref));
    int object = 1;
    while (entry.find()) {
      int offset = Integer.parseInt(entry.group(1));
      assertThat(text.substring(offset)).startsWith(object + " 0 obj\n");
      object++;
    }
    assertThat(object).isEqualTo(7);
    // the content stream's declared length is its real length
    Matcher length = Pattern.compile("<< /Length (\\d+) >>\nstream\n").matcher(text);
    assertThat(length.find()).isTrue();
    int begin = length.end();
    assertThat(text.substring(begin + Integer.parseInt(length.group(1)))).startsWith("endstream");
  }
}
