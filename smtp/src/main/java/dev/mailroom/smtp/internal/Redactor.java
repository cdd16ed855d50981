package dev.mailroom.smtp.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Removes the secrets of one connection (the password or token, the AUTH payloads sent) from text that
 * came from the server, before it reaches a transcript, a log or a {@link dev.mailroom.Failure}: a server
 * may echo what it received.
 */
final class Redactor {
  static final String MASK = "******";
  private final List<String> needles = new ArrayList<>(8);

  /** Adds a secret and its base64 and URL-encoded forms. */
  synchronized void addSecret(String secret) {
    if (secret == null || secret.length() < 4) {
      return;
    }
    add(secret);
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getEncoder();
    add(b64.encodeToString(bytes));
    // the middle of a base64 text depends on the alignment of the secret in what was encoded
    for (int pad = 1; pad <= 2; pad++) {
      byte[] shifted = new byte[bytes.length + pad];
      System.arraycopy(bytes, 0, shifted, pad, bytes.length);
      String s = b64.encodeToString(shifted);
      if (s.length() > 8) {
        add(s.substring(4, s.length() - 4));
      }
    }
    String b = b64.encodeToString(bytes);
    if (b.length() > 8) {
      add(b.substring(0, b.length() - 4));
    }
    add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
  }

  /** Adds an exact payload that was sent, e.g. an AUTH PLAIN response. */
  synchronized void addPayload(String payload) {
    if (payload != null && payload.length() >= 4) {
      add(payload);
    }
  }

  private void add(String s) {
    if (!needles.contains(s)) {
      needles.add(s);
    }
  }

  /** Returns {@code text} with every known secret form replaced by {@code ******}. */
  synchronized String redact(String text) {
    if (text == null || needles.isEmpty()) {
      return text;
    }
    String r = text;
    for (String n : needles) {
      if (r.contains(n)) {
        r = r.replace(n, MASK);
      }
    }
    return r;
  }
}
