package dev.mailroom.http.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON through jackson-core's streaming API: generators for request bodies, and a small bounded reader
 * that turns a response body into maps, lists, strings, numbers and booleans.
 */
public final class Json {
  /** Deeper structures in a response are skipped, not read. */
  static final int MAX_DEPTH = 32;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(200)
          .maxStringLength(1 << 20)
          .maxNumberLength(100)
          .build())
      .build();

  private Json() {}

  /**
   * A generator writing UTF-8 JSON to {@code out}; closing it flushes but does not close {@code out}, and
   * does not complete a document that failed half-way (no closing brackets are added).
   */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
    return g;
  }

  /**
   * Parses a JSON text into {@code Map<String, Object>}, {@code List<Object>}, {@code String},
   * {@code Number}, {@code Boolean} or {@code null}; values nested deeper than {@value #MAX_DEPTH} are left
   * out.
   *
   * @return the value, or empty if the text is not JSON
   */
  public static Optional<Object> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(read(FACTORY, text));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses exactly one JSON value like {@link #parse(String)}, with strings up to {@code maxStringLength}
   * characters (the test kit reads request bodies with whole attachments in base64).
   *
   * @param text the JSON text
   * @param maxStringLength the longest string value accepted
   * @return the value (null for JSON {@code null})
   * @throws IOException if the text is not exactly one JSON value within the limits
   */
  public static Object parse(String text, int maxStringLength) throws IOException {
    JsonFactory f = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(200)
            .maxStringLength(maxStringLength)
            .maxNumberLength(100)
            .build())
        .build();
    return read(f, text);
  }

  private static Object read(JsonFactory factory, String text) throws IOException {
    try (JsonParser p = factory.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new IOException("empty JSON");
      }
      Object value = read(p, t, 0);
      if (p.nextToken() != null) {
        throw new IOException("more than one JSON value"); // trailing garbage
      }
      return value;
    }
  }

  private static Object read(JsonParser p, JsonToken t, int depth) throws IOException {
    switch (t) {
      case START_OBJECT: {
        if (depth >= MAX_DEPTH) {
          p.skipChildren();
          return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
          if (n != JsonToken.FIELD_NAME) {
            throw new IOException("expected a field name");
          }
          String name = p.currentName();
          m.put(name, read(p, p.nextToken(), depth + 1));
        }
        return m;
      }
      case START_ARRAY: {
        if (depth >= MAX_DEPTH) {
          p.skipChildren();
          return null;
        }
        List<Object> l = new ArrayList<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
          if (n == null) {
            throw new IOException("unexpected end");
          }
          l.add(read(p, n, depth + 1));
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
        throw new IOException("unexpected token " + t);
    }
  }

  /** The value at a path of object field names, or empty. */
  public static Optional<Object> at(Object root, String... path) {
    Object v = root;
    for (String name : path) {
      if (!(v instanceof Map)) {
        return Optional.empty();
      }
      v = ((Map<?, ?>) v).get(name);
    }
    return Optional.ofNullable(v);
  }

  /** The string (or number, as text) at a path of object field names, or empty. */
  public static Optional<String> string(Object root, String... path) {
    return at(root, path).filter(v -> v instanceof String || v instanceof Number || v instanceof Boolean)
        .map(Object::toString);
  }

  /** The list at a path of object field names, or an empty list. */
  public static List<?> list(Object root, String... path) {
    return at(root, path).filter(v -> v instanceof List).map(v -> (List<?>) v).orElse(List.of());
  }
}
