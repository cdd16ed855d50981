package dev.mailroom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a translated texts file with the English one: the same keys, the same MessageFormat
 * arguments, patterns that parse, and text that is really in the other language.
 */
public final class BundleCheck {
  private static final Pattern ARG = Pattern.compile("\\{(\\d+)");
  private static final Pattern WORD = Pattern.compile("\\b[a-z]{4,}\\b");

  private BundleCheck() {
  }

  /** Reads {@code baseName[_lang].properties} next to {@code anchor} as UTF-8; fails if it is missing. */
  public static Properties load(Class<?> anchor, String baseName, String lang) {
    String name = baseName + (lang.isEmpty() ? "" : "_" + lang) + ".properties";
    Properties p = new Properties();
    try (InputStream in = anchor.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * Returns one line per problem of {@code lang}'s file against the English one; empty when complete.
   *
   * @param translatedText a test that a translated value (second argument) is really a translation of the
   *     English one (first argument), e.g. that it has Bengali letters; only asked for values that have
   *     words to translate
   */
  public static List<String> problems(Class<?> anchor, String baseName, String lang,
      BiPredicate<String, String> translatedText) {
    Properties en = load(anchor, baseName, "");
    Properties tr = load(anchor, baseName, lang);
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(en.stringPropertyNames())) {
      String english = en.getProperty(key);
      String translated = tr.getProperty(key);
      if (translated == null) {
        problems.add("missing: " + key);
        continue;
      }
      if (!arguments(english).equals(arguments(translated))) {
        problems.add("arguments differ: " + key + " " + arguments(english) + " vs " + arguments(translated));
      }
      try {
        new MessageFormat(translated);
      } catch (IllegalArgumentException e) {
        problems.add("not a valid MessageFormat pattern: " + key + ": " + e.getMessage());
      }
      if (WORD.matcher(english).find() && !translatedText.test(english, translated)) {
        problems.add("not translated: " + key);
      }
    }
    for (String key : tr.stringPropertyNames()) {
      if (!en.containsKey(key)) {
        problems.add("not in the English file: " + key);
      }
    }
    return problems;
  }

  /** True if {@code translated} has a letter of the Bengali script. */
  public static boolean bengali(String english, String translated) {
    String s = translated;
    return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.BENGALI);
  }

  private static Set<String> arguments(String pattern) {
    Set<String> args = new TreeSet<>();
    Matcher m = ARG.matcher(pattern.replace("''", ""));
    while (m.find()) {
      args.add(m.group(1));
    }
    return args;
  }
}
