package dev.mailroom.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of OAuth2 (jackson-core's streaming API): reads the flat objects of token-endpoint answers and
 * service-account keys, and writes the flat objects of JWT headers and claims. Nested values are read as
 * their scalar members joined with spaces (Microsoft's {@code error_codes}); deeper nesting is skipped.
 */
public final class TokenJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(64 * 1024)
          .maxNumberLength(40)
          .build())
      .build();

  private TokenJson() {}

  /**
   * Reads the members of a JSON object as text.
   *
   * @param text the JSON text
   * @return the members (numbers and booleans as their text), in order
   * @throws IOException if the text is not a JSON object
   */
  public static Map<String, String> readObject(String text) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_ARRAY || v == JsonToken.START_OBJECT) {
          StringBuilder joined = new StringBuilder();
          int depth = 1;
          while (depth > 0) {
            JsonToken n = p.nextToken();
            if (n == null) {
              throw new IOException("truncated JSON");
            }
            if (n == JsonToken.START_ARRAY || n == JsonToken.START_OBJECT) {
              depth++;
            } else if (n == JsonToken.END_ARRAY || n == JsonToken.END_OBJECT) {
              depth--;
            } else if (n.isScalarValue() && depth == 1 && joined.length() < 1024) {
              joined.append(joined.length() == 0 ? "" : " ").append(p.getText());
            }
          }
          out.putIfAbsent(name, joined.toString());
        } else if (v != null && v.isScalarValue() && v != JsonToken.VALUE_NULL) {
          out.putIfAbsent(name, p.getText());
        } else if (v == null) {
          throw new IOException("truncated JSON");
        }
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("not valid JSON", null);
    }
    return out;
  }

  /**
   * Writes a flat JSON object: values that are {@link Number}s are written as numbers, everything else as
   * strings.
   *
   * @param members the members, in order
   * @return the UTF-8 JSON
   */
  public static byte[] writeObject(Map<String, ?> members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      for (Map.Entry<String, ?> e : members.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Long || v instanceof Integer) {
          g.writeNumberField(e.getKey(), ((Number) v).longValue());
        } else {
          g.writeStringField(e.getKey(), String.valueOf(v));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON to memory", e);
    }
    return out.toByteArray();
  }
}
