package dev.mailroom.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

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
}
