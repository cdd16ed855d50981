package dev.mailroom.testkit;

import dev.mailroom.testkit.internal.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The providers' published API descriptions, as excerpts stored next to this class ({@code api/*.json}: Microsoft
 * Graph's OpenAPI, the SES v2 service model, the Gmail API's discovery document), and a check of request bodies
 * against their schemas: every member known, of its type, required ones present. The fakes refuse a request
 * that does not match, as the real API would, so every test against them validates the request too.
 */
final class ApiDescriptions {
  static final ApiDescriptions GRAPH = new ApiDescriptions("api/graph-sendmail.json");
  static final ApiDescriptions SES = new ApiDescriptions("api/ses-v2-sendemail.json");
  static final ApiDescriptions GMAIL = new ApiDescriptions("api/gmail-discovery-send.json");

  private final Object root;

  private ApiDescriptions(String resource) {
    try (InputStream in = ApiDescriptions.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource);
      }
      root = JsonTree.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema of an operation's request body ("POST /users/{user-id}/sendMail"), or null for none. */
  String operation(String key) {
    return JsonTree.string(JsonTree.object(root, "operations"), key);
  }

  /** A method's entry of a discovery document. */
  Map<String, Object> method(String name) {
    return JsonTree.object(JsonTree.object(root, "methods"), name);
  }

  /**
   * Checks a JSON body against a schema.
   *
   * @param schema the schema name
   * @param body the parsed body
   * @return the problems, empty if it matches
   */
  List<String> check(String schema, Object body) {
    List<String> problems = new ArrayList<>();
    check(schema, body, "$", problems, 0);
    return problems;
  }

  private void check(String type, Object value, String at, List<String> problems, int depth) {
    if (depth > 16 || problems.size() > 20) {
      return;
    }
    switch (type) {
      case "string" -> {
        if (!(value instanceof String)) {
          problems.add(at + " must be a string");
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          problems.add(at + " must be a boolean");
        }
      }
      case "integer" -> {
        if (!(value instanceof Number)) {
          problems.add(at + " must be a number");
        }
      }
      case "base64" -> {
        try {
          Base64.getDecoder().decode(String.valueOf(value));
        } catch (IllegalArgumentException e) {
          problems.add(at + " must be base64");
        }
      }
      default -> {
        if (type.startsWith("enum:")) {
          if (!Set.of(type.substring(5).split(",")).contains(String.valueOf(value))) {
            problems.add(at + " must be one of " + type.substring(5) + ": " + value);
          }
          return;
        }
        Map<String, Object> schema = JsonTree.object(JsonTree.object(root, "schemas"), type);
        if (schema == null) {
          problems.add(at + ": unknown schema " + type);
          return;
        }
        if (!(value instanceof Map)) {
          problems.add(at + " must be an object (" + type + ")");
          return;
        }
        Map<?, ?> object = (Map<?, ?>) value;
        Map<String, Object> properties = JsonTree.object(schema, "properties");
        for (Object required : JsonTree.list(schema, "required")) {
          if (!object.containsKey(required)) {
            problems.add(at + " lacks the required " + required + " (" + type + ")");
          }
        }
        for (Map.Entry<?, ?> e : object.entrySet()) {
          String name = String.valueOf(e.getKey());
          Object spec = properties == null ? null : properties.get(name);
          if (spec == null) {
            problems.add(at + "." + name + " is not a member of " + type);
          } else if (spec instanceof List) {
            if (!(e.getValue() instanceof List)) {
              problems.add(at + "." + name + " must be an array");
            } else {
              int i = 0;
              for (Object item : (List<?>) e.getValue()) {
                check(String.valueOf(((List<?>) spec).get(0)), item, at + "." + name + "[" + i++ + "]", problems,
                    depth + 1);
              }
            }
          } else {
            check(String.valueOf(spec), e.getValue(), at + "." + name, problems, depth + 1);
          }
        }
      }
    }
  }
}
