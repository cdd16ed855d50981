package dev.mailroom.testkit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into plain Java values ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}, null) with jackson-core's streaming parser, within limits on depth and size. For the
 * fake HTTP mail API, which reads the requests that the HTTP sender's JSON dialects write.
 */
public final class JsonTree {
  private static final int MAX_DEPTH = 64;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
          .maxStringLength(100_000_000).build())
      .build();

  private JsonTree() {}

  /**
   * Parses a JSON text.
   *
   * @param text the JSON
   * @return the value
   * @throws IOException if the text is not valid JSON
   */
  public static Object parse(String text) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("empty JSON");
      }
      Object v = value(p, t);
      if (p.nextToken() != null) {
        throw new IOException("more than one JSON value");
      }
      return v;
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected JSON token " + t);
    }
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
