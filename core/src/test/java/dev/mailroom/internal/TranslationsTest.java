package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testing.BundleCheck;
import org.junit.jupiter.api.Test;

/** Every core text (failure titles, hints, troubleshooting steps, preset steps) in Bengali and Swahili. */
class TranslationsTest {
  @Test
  void bengaliHasEveryText() {
    assertThat(BundleCheck.problems(Messages.class, "Messages", "bn", BundleCheck::bengali)).isEmpty();
  }

  @Test
  void swahiliHasEveryText() {
    assertThat(BundleCheck.problems(Messages.class, "Messages", "sw", (en, sw) -> !sw.equals(en))).isEmpty();
  }
}
