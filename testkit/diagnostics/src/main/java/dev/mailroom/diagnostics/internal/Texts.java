package dev.mailroom.diagnostics.internal;

import dev.mailroom.internal.Messages;
import java.util.Locale;

/**
 * The diagnostics' own texts: step names, statuses, details, warnings and report headings, from
 * {@code Diagnostics.properties} (English, complete) and {@code Diagnostics_bn} / {@code Diagnostics_sw}.
 * A key missing in a language falls back to English, never to the JVM's default locale.
 */
public final class Texts {
  private static final Messages MESSAGES = new Messages(Texts.class, "Diagnostics");

  private Texts() {}

  /** The text for {@code key} in {@code locale}'s language, formatted with {@code args} (all strings). */
  public static String get(Locale locale, String key, Object... args) {
    return MESSAGES.get(locale, key, args);
  }

  /** True if the English bundle has {@code key}. */
  public static boolean has(String key) {
    return MESSAGES.has(key);
  }

  /** True if {@code locale}'s own bundle (not English) has {@code key}. */
  public static boolean hasOwn(Locale locale, String key) {
    return MESSAGES.hasOwn(locale, key);
  }
}
