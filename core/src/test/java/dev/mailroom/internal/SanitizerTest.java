package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SanitizerTest {
  @ParameterizedTest
  @ValueSource(strings = {"\u001b[2J\u001b[H", "\u001b]0;owned\u0007", "\u009b31m", "\u0085", "\u2028", "\u2029",
      "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\ufeff", "\u200b", "\u00ad", "\u007f",
      "\u0000", "\u000b", "\ud800"})
  void showsControlsEscapesSeparatorsAndBidiControlsEscaped(String evil) {
    String out = Sanitizer.clean("550 bad" + evil + "reply", 200);
    assertThat(Sanitizer.firstUnsafe(out)).isEqualTo(-1);
    assertThat(out).startsWith("550 bad\\u").endsWith("reply");
  }

  @Test
  void lineBreaksCannotStartANewLine() {
    assertThat(Sanitizer.clean("  550 no\r\n2026-12-03 INFO sent ok\t", 200))
        .isEqualTo("550 no 2026-12-03 INFO sent ok");
  }

  @Test
  void keepsTheJoinersBengaliNeeds() {
    String bengali = "\u0995\u09cd\u200d\u09b7 \u09b0\u200c\u09cd";
    assertThat(Sanitizer.clean(bengali, 100)).isEqualTo(bengali);
  }

  @Test
  void cutsWithoutSplittingAnEscapeOrAPair() {
    assertThat(Sanitizer.clean("abcdefghij", 5)).isEqualTo("ab...");
    String out = Sanitizer.clean("ab\u001bcdefgh", 9);
    assertThat(out).isEqualTo("ab...");
    assertThat(Sanitizer.clean("a\ud83d\ude00\ud83d\ude00\ud83d\ude00xyz", 7)).isEqualTo("a\ud83d\ude00...");
    assertThat(Sanitizer.clean("x".repeat(10_000), 512)).hasSize(512).endsWith("...");
  }

  @Test
  void redactsBeforeItEscapesOrCuts() {
    Redactor r = Redactor.of("top-secret-key-123");
    // the escape would split the key if sanitizing came first
    assertThat(Sanitizer.clean("key top-secret-key-123\u001b[0m", r, 100)).isEqualTo("key ******\\u001b[0m");
    assertThat(Sanitizer.clean("x".repeat(30) + " top-secret-key-123", r, 35)).doesNotContain("top-sec");
  }

  @Test
  void isIdempotent() {
    String once = Sanitizer.clean("a\u001b\u202eb\r\nc", 100);
    assertThat(Sanitizer.clean(once, 100)).isEqualTo(once);
  }

  @Test
  void cleanAsciiComesBackAsItIsAndEverythingElseAsBefore() {
    String reply = "250 2.0.0 Ok: queued as 4Xk9Zq1abc";
    assertThat(Sanitizer.clean(reply, 512)).isSameAs(reply);
    assertThat(Sanitizer.clean("", 512)).isEmpty();
    // blanks at the ends, doubled blanks, tabs and line breaks are not "as it is": each is collapsed
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ab  \t\r\n\u09ac~";
    for (int run = 0; run < 20_000; run++) {
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String in = b.toString();
      String expected = in.replaceAll("[ \t\r\n]+", " ").strip();
      assertThat(Sanitizer.clean(in, 64)).as("%s", in).isEqualTo(expected);
      assertThat(Sanitizer.clean(in, 6)).as("%s cut", in).isEqualTo(expected.length() <= 6 ? expected
          : Sanitizer.clean(expected + "\u0000", 6));
    }
  }
}
