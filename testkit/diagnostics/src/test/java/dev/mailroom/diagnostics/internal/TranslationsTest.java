package dev.mailroom.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testing.BundleCheck;
import org.junit.jupiter.api.Test;

/** Every text of the "Test email settings" diagnostics in Bengali and Swahili. */
class TranslationsTest {
  @Test
  void bengaliHasEveryText() {
    assertThat(BundleCheck.problems(Texts.class, "Diagnostics", "bn", BundleCheck::bengali)).isEmpty();
  }

  @Test
  void swahiliHasEveryText() {
    assertThat(BundleCheck.problems(Texts.class, "Diagnostics", "sw", (en, sw) -> !sw.equals(en))).isEmpty();
  }
}
