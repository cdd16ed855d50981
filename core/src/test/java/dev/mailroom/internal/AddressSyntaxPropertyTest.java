package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Address;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomized property test of the address parser (a seeded, bounded stand-in for the Jazzer fuzz tests
 * of the hardening issue): whatever is accepted holds no line break or control character, has exactly
 * one '@', and reads back to the same address from its own text form.
 */
class AddressSyntaxPropertyTest {
  private static final String ALPHABET = "abcXYZ019.-_+@<>\"\\,;:()[] \t\r\n\u0000\u0085\u2028é日\ud83d\ude00\ud800";

  @Test
  void acceptedAddressesAreSafeAndRoundTrip() {
    Random random = new Random(20261122L);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      String input = randomInput(random);
      Address a;
      try {
        a = Address.parse(input);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).startsWith("not a valid email address (");
        continue;
      }
      accepted++;
      String text = a.toString();
      assertThat(Text.isHeaderSafe(text)).as("accepted %s", Text.quote(input)).isTrue();
      assertThat(a.email().chars().filter(c -> c == '@').count()).isEqualTo(1);
      assertThat(Text.isHeaderSafe(a.email())).isTrue();
      assertThat(a.email()).doesNotContain(" ", "<", ">", "\"", ",", ";", "(", ")");
      assertThat(Address.parse(text)).as("round trip of %s", Text.quote(input)).isEqualTo(a);
      assertThat(Address.of(a.email()).email()).isEqualTo(a.email());
    }
    assertThat(accepted).as("the generator must reach accepted inputs").isGreaterThan(100);
  }

  private static String randomInput(Random r) {
    StringBuilder b = new StringBuilder();
    int shape = r.nextInt(4);
    if (shape == 0) {
      b.append(word(r)).append('@').append(word(r)).append('.').append("example");
    } else if (shape == 1) {
      b.append(word(r)).append(" <").append(word(r)).append('@').append(word(r)).append(".example>");
    } else if (shape == 2) {
      b.append('"').append(word(r)).append("\" <").append(word(r)).append("@x.example>");
    }
    int noise = r.nextInt(4);
    for (int i = 0; i < noise; i++) {
      int at = r.nextInt(b.length() + 1);
      b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  private static String word(Random r) {
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(ALPHABET.charAt(r.nextInt(12)));
    }
    return b.toString();
  }
}
