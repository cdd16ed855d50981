package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HostNamesTest {
  /** The label check by hand (it runs for every address) says what the LDH pattern says. */
  @Test
  void labelCheckAgreesWithThePattern() {
    String alphabet = "aZ09-._\u00e9 ";
    Random random = new Random(16);
    for (int n = 0; n < 20_000; n++) {
      int length = 1 + random.nextInt(66);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 4 : alphabet.length())));
      }
      String label = b.toString();
      assertThat(HostNames.ldhLabel(label, 0, label.length())).as(label)
          .isEqualTo(length <= 63 && HostNames.ldhLabelPattern(label));
    }
  }

  @Test
  void hostNamesLabelByLabel() {
    assertThat(HostNames.hostNameProblem("mail.example.com")).isNull();
    assertThat(HostNames.hostNameProblem("a.b.")).isEqualTo("empty label between dots");
    assertThat(HostNames.hostNameProblem("a..b")).isEqualTo("empty label between dots");
    assertThat(HostNames.hostNameProblem("-a.example.com")).contains("hyphen");
    assertThat(HostNames.hostNameProblem("a-.example.com")).contains("hyphen");
    assertThat(HostNames.hostNameProblem("a-b.example.com")).isNull();
    assertThat(HostNames.hostNameProblem("x".repeat(64) + ".com")).isEqualTo("a label is longer than 63 characters");
    assertThat(HostNames.hostNameProblem("x".repeat(63) + ".com")).isNull();
    assertThat(AddressSyntax.domainProblem("example.123")).contains("must not end in a number");
    assertThat(AddressSyntax.domainProblem("example.c0m")).isNull();
  }
}
