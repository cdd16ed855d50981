package dev.mailroom.http.internal;

import dev.mailroom.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Removes the API key from text that came from the server or a plugin before it goes into a failure or a
 * log line: the key itself, its base64 and URL-encoded forms, and the base64 of {@code api:KEY} (HTTP
 * Basic, as Mailgun uses it).
 */
public final class Redactor {
  static final String MASK = "******";
  private final List<String> forms;

  private Redactor(List<String> forms) {
    this.forms = forms;
  }

  /** A redactor for the key, or one that changes nothing when there is none. */
  public static Redactor of(Optional<Secret> key) {
    List<String> forms = new ArrayList<>();
    key.ifPresent(k -> {
      String v = k.reveal();
      Base64.Encoder b64 = Base64.getEncoder();
      forms.add(v);
      forms.add(b64.encodeToString(v.getBytes(StandardCharsets.UTF_8)));
      forms.add(b64.encodeToString(("api:" + v).getBytes(StandardCharsets.UTF_8)));
      forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
      // base64 of the key at the other two alignments, without the bytes that depend on neighbours
      for (String pad : List.of("\0", "\0\0")) {
        String e = b64.encodeToString((pad + v).getBytes(StandardCharsets.UTF_8));
        if (e.length() > 12) {
          forms.add(e.substring(4, e.length() - 4));
        }
      }
      String plain = b64.encodeToString(v.getBytes(StandardCharsets.UTF_8));
      if (plain.length() > 12) {
        forms.add(plain.substring(0, plain.length() - 4));
      }
    });
    forms.removeIf(f -> f.length() < 6);
    forms.sort((a, b) -> b.length() - a.length());
    return new Redactor(List.copyOf(forms));
  }

  /** The text with every form of the key replaced by {@code ******}. */
  public String redact(String text) {
    if (text == null || forms.isEmpty()) {
      return text;
    }
    String t = text;
    for (String f : forms) {
      if (t.contains(f)) {
        t = t.replace(f, MASK);
      }
    }
    return t;
  }
}
