package dev.mailroom.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Localized texts from UTF-8 properties files next to a class: {@code Base.properties} (English, complete)
 * and {@code Base_<language>.properties}. Unlike {@link java.util.ResourceBundle} it never falls back to
 * the JVM's default locale, so the result depends only on the requested locale, and it works inside a
 * named module.
 */
public final class Messages {
  /** Mailroom core's texts: failure titles, hints and the settings form's troubleshooting steps. */
  public static final Messages CORE = new Messages(Messages.class, "Messages");

  private final Class<?> anchor;
  private final String baseName;
  private final Map<String, Properties> byLanguage = new ConcurrentHashMap<>();

  /**
   * @param anchor a class in the package that holds the files
   * @param baseName the file name without language suffix and extension
   */
  public Messages(Class<?> anchor, String baseName) {
    this.anchor = Objects.requireNonNull(anchor);
    this.baseName = Objects.requireNonNull(baseName);
  }

  /** True if the English file has {@code key}. */
  public boolean has(String key) {
    return load("").containsKey(key);
  }

  /** True if the file for {@code locale}'s language itself has {@code key} (no fallback). */
  public boolean hasOwn(Locale locale, String key) {
    String lang = locale.getLanguage();
    return !lang.isEmpty() && !lang.equals("en") && load(lang).containsKey(key);
  }

  /**
   * Returns the text for {@code key} in the language of {@code locale}, else English, formatted with
   * {@link MessageFormat} when arguments are given. Returns the key itself when it is unknown.
   */
  public String get(Locale locale, String key, Object... args) {
    String pattern = raw(locale, key);
    if (pattern == null) {
      return key;
    }
    if (args.length == 0) {
      return pattern.replace("''", "'");
    }
    return new MessageFormat(pattern, locale).format(args);
  }

  /** The unformatted text for {@code key}, or null. */
  public String raw(Locale locale, String key) {
    Objects.requireNonNull(locale, "locale");
    String lang = locale.getLanguage();
    if (!lang.isEmpty() && !lang.equals("en")) {
      String s = load(lang).getProperty(key);
      if (s != null) {
        return s;
      }
    }
    return load("").getProperty(key);
  }

  private Properties load(String lang) {
    return byLanguage.computeIfAbsent(lang, l -> {
      String name = baseName + (l.isEmpty() ? "" : "_" + l) + ".properties";
      Properties p = new Properties();
      try (InputStream in = anchor.getResourceAsStream(name)) {
        if (in != null) {
          try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
      return p;
    });
  }
}
