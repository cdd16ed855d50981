package dev.mailroom.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code multipart/form-data} body of text fields only, encoded in memory: the same bytes that Methanol's
 * {@code MultipartBodyPublisher} writes for text parts (a quoted name, no part content type, UTF-8), built
 * directly. Used for the common message without attachments, where Methanol's streaming machinery cost
 * more CPU than the rest of the send (see http/bench/RESULTS.md); bodies with attachments always go
 * through Methanol, streamed.
 *
 * <p>The boundary is random (SecureRandom) and checked against every value, so no field content can end
 * the part it is in. Field names must be plain tokens (they are the dialect's fixed names).
 */
final class TextForm {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final List<String> names = new ArrayList<>(8);
  private final List<String> values = new ArrayList<>(8);

  TextForm add(String name, String value) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        throw new IllegalArgumentException("form field name must be a plain token: " + name);
      }
    }
    names.add(name);
    values.add(value);
    return this;
  }

  /** The encoded body and its content type. */
  record Encoded(byte[] body, String contentType) {}

  Encoded encode() {
    String boundary;
    do {
      byte[] r = new byte[16];
      RANDOM.nextBytes(r);
      char[] c = new char[32];
      for (int i = 0; i < 16; i++) {
        c[2 * i] = HEX[(r[i] >> 4) & 0xf];
        c[2 * i + 1] = HEX[r[i] & 0xf];
      }
      boundary = "mailroom-" + new String(c);
    } while (appearsIn(boundary));
    // each part's head and value encoded once, then copied into one array of the exact size
    int n = names.size();
    byte[][] heads = new byte[n][];
    byte[][] bodies = new byte[n][];
    int size = 0;
    for (int i = 0; i < n; i++) {
      heads[i] = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + names.get(i) + "\"\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);
      bodies[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
      size += heads[i].length + bodies[i].length + 2;
    }
    byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[size + end.length];
    int at = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(heads[i], 0, out, at, heads[i].length);
      at += heads[i].length;
      System.arraycopy(bodies[i], 0, out, at, bodies[i].length);
      at += bodies[i].length;
      out[at++] = '\r';
      out[at++] = '\n';
    }
    System.arraycopy(end, 0, out, at, end.length);
    return new Encoded(out, "multipart/form-data; boundary=" + boundary);
  }

  private boolean appearsIn(String boundary) {
    for (String v : values) {
      if (v.contains(boundary)) {
        return true;
      }
    }
    return false;
  }
}
