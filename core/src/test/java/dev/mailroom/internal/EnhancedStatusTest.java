package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.internal.SmtpReplies.Reply;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class EnhancedStatusTest {
  /** The enhanced status code found by hand (it runs for every receipt) is the one the pattern finds. */
  @Test
  void byHandAgreesWithThePattern() {
    String alphabet = "245.0179 \t,;:-x\u0085\u2028\r\n";
    Random random = new Random(1869);
    for (int n = 0; n < 50_000; n++) {
      StringBuilder b = new StringBuilder();
      if (random.nextBoolean()) {
        // most texts start like a status code, to reach the later checks
        b.append("245".charAt(random.nextInt(3))).append('.');
      }
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 6)));
      }
      String text = b.toString();
      Matcher m = Reply.enhancedPattern().matcher(text);
      int expected = m.find() ? m.end() : -1;
      assertThat(Reply.enhancedEnd(text)).as("[%s]", text).isEqualTo(expected);
      if (expected > 0) {
        assertThat(Reply.enhancedStatusOf(text, expected)).as(text).isEqualTo(
            m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3)));
      }
    }
  }

  @Test
  void parsesTheCommonReplies() {
    assertThat(Reply.parse("250 2.0.0 Ok: queued as 4F2B").orElseThrow().toString())
        .isEqualTo("250 2.0.0 Ok: queued as 4F2B");
    assertThat(Reply.parse("550 5.01.001 No such user").orElseThrow().enhancedStatus()).isEqualTo("5.1.1");
    assertThat(Reply.parse("250 2.1234.5 odd").orElseThrow().enhancedStatus()).isNull();
    assertThat(Reply.parse("421 4.7.0").orElseThrow().toString()).isEqualTo("421 4.7.0");
  }
}
