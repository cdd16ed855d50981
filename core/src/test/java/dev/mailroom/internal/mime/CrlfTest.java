package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Line ends normalized in runs: the same as replacing every CRLF, CR and LF by CRLF. */
class CrlfTest {
  @Test
  void anyMixOfLineEndsBecomesCrlfAndTheRestIsUnchanged() {
    Random random = new Random(16);
    char[] alphabet = {'a', '\r', '\n', '.', ' ', '\u00e9', '\u20ac'};
    for (int round = 0; round < 2000; round++) {
      char[] c = new char[random.nextInt(round < 1000 ? 12 : 3000)];
      for (int i = 0; i < c.length; i++) {
        c[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(c);
      assertThat(PreparedMime.crlf(s)).as("%s", s).isEqualTo(s.replaceAll("\r\n|\r|\n", "\r\n"));
    }
    String plain = "no line ends";
    assertThat(PreparedMime.crlf(plain)).isSameAs(plain);
    String crlf = "already\r\nCRLF\r\n";
    assertThat(PreparedMime.crlf(crlf)).isSameAs(crlf);
  }
  /**
   * The text part's bytes and encoding come from one encoding and scan of the text; they must be exactly
   * what normalizing the String first, encoding it and then deciding the encoding gives.
   */
  @Test
  void textPartIsTheUtf8OfTheNormalizedTextWithItsEncoding() throws java.io.IOException {
    Random random = new Random(1216);
    String[] alphabet = {"a", "\r", "\n", "\r\n", ".", " ", "\u00e9", "\u20ac", "\ud83d\ude00", "\u0995",
        "x".repeat(400), "=", "\t"};
    for (int round = 0; round < 4000; round++) {
      StringBuilder b = new StringBuilder();
      int parts = random.nextInt(round < 2000 ? 12 : 200);
      // some texts mostly ASCII, some mostly not (quoted-printable against base64)
      int bias = random.nextInt(3);
      for (int i = 0; i < parts; i++) {
        int k = random.nextInt(alphabet.length);
        if (bias == 0 && k >= 6 && k <= 9) {
          k = 0;
        }
        b.append(alphabet[k]);
      }
      String s = b.toString();
      byte[] expected = PreparedMime.crlf(s).getBytes(StandardCharsets.UTF_8);
      Body.Text part = PreparedMime.text(s, "text/plain");
      assertThat(part.utf8()).as("%s", s).isEqualTo(expected);
      assertThat(part.encoding()).as("%s", s).isEqualTo(PreparedMime.encoding(expected));
      if (part.encoding().equals("7bit")) {
        // 7bit text keeps its own bytes and writes its line breaks as CRLF
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        part.write(written);
        assertThat(written.toByteArray()).as("written: %s", s).isEqualTo(expected);
      }
    }
    byte[] ascii = "a line\r\nand another\r\n".getBytes(StandardCharsets.UTF_8);
    assertThat(PreparedMime.text("a line\r\nand another\r\n", "text/plain").utf8()).isEqualTo(ascii);
    assertThat(PreparedMime.text("x".repeat(997), "text/plain").encoding()).isEqualTo("7bit");
    assertThat(PreparedMime.text("x".repeat(998), "text/plain").encoding()).isEqualTo("quoted-printable");
    assertThat(PreparedMime.text("x".repeat(997) + "\r\n" + "y".repeat(997), "text/plain").encoding())
        .isEqualTo("7bit");
    assertThat(PreparedMime.text("x".repeat(997) + "\r" + "y".repeat(998), "text/plain").encoding())
        .isEqualTo("quoted-printable");
  }
}
