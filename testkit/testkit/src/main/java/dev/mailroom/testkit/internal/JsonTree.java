package dev.mailroom.testkit.internal;

import dev.mailroom.http.internal.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Navigation over the plain Java values ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, null) that Mailroom's one bounded JSON reader ({@code dev.mailroom.http.internal.Json})
 * makes. For the fake HTTP mail API, which reads the requests that the HTTP sender's JSON dialects write.
 */
public final class JsonTree {
  private JsonTree() {}

  /**
   * Parses exactly one JSON value into maps, lists, strings, numbers, booleans and null, with Mailroom's one
   * bounded JSON reader (the HTTP sender's); strings up to 100 million characters (whole attachments).
   *
   * @param text the JSON text
   * @return the value
   * @throws IOException if the text is not one JSON value
   */
  public static Object parse(String text) throws IOException {
    return Json.parse(text, 100_000_000);
  }

  /** The object at {@code key} of a map, or null. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object map, String key) {
    Object v = map instanceof Map ? ((Map<String, Object>) map).get(key) : null;
    return v instanceof Map ? (Map<String, Object>) v : null;
  }

  /** The list at {@code key} of a map, or an empty list. */
  @SuppressWarnings("unchecked")
  public static List<Object> list(Object map, String key) {
    Object v = map instanceof Map ? ((Map<String, Object>) map).get(key) : null;
    return v instanceof List ? (List<Object>) v : List.of();
  }

  /** The string at {@code key} of a map, or null. */
  @SuppressWarnings("unchecked")
  public static String string(Object map, String key) {
    Object v = map instanceof Map ? ((Map<String, Object>) map).get(key) : null;
    return v == null ? null : String.valueOf(v);
  }
}
