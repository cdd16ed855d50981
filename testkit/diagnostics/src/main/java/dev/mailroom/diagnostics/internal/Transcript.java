package dev.mailroom.diagnostics.internal;

import dev.mailroom.internal.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A swaks-style transcript of one diagnostic session: {@code ->} sent, {@code <-} received, {@code ~>} and
 * {@code <~} inside TLS, {@code ===} notes. Secrets are never written: callers pass the redacted form of
 * AUTH lines, and every line is also scrubbed of the registered secrets (plain and base64) as a second
 * guard. Bounded in lines and line length. Thread-safe.
 */
public final class Transcript {
  /** Replaces secrets in transcripts and details. */
  public static final String REDACTED = "******";
  private static final int MAX_LINES = 2000;
  private static final int MAX_LINE = 400;

  private final boolean enabled;
  private final List<String> lines = new ArrayList<>();
  private final List<String> secrets = new ArrayList<>();
  private boolean tls;
  private boolean truncated;

  /**
   * @param enabled whether lines are kept; a disabled transcript still scrubs secrets in {@link #scrub}
   */
  public Transcript(boolean enabled) {
    this.enabled = enabled;
  }

  /** Registers a secret (a password, token or API key) that must never appear, in any common encoding. */
  public synchronized void secret(String value) {
    if (value == null || value.length() < 4) {
      return;
    }
    Base64.Encoder b64 = Base64.getEncoder();
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    secrets.add(value);
    secrets.add(b64.encodeToString(bytes));
    // base64 of the secret at the three alignments it can have inside a longer payload (AUTH PLAIN)
    for (int pad = 1; pad <= 2; pad++) {
      byte[] shifted = new byte[bytes.length + pad];
      System.arraycopy(bytes, 0, shifted, pad, bytes.length);
      String enc = b64.encodeToString(shifted);
      if (enc.length() > 8) {
        secrets.add(enc.substring(4, enc.length() - 4));
      }
    }
    secrets.add(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  /** Replaces every registered secret in {@code text} with {@code ******}. */
  public synchronized String scrub(String text) {
    String s = text;
    for (String secret : secrets) {
      if (!secret.isEmpty() && s.contains(secret)) {
        s = s.replace(secret, REDACTED);
      }
    }
    return s;
  }

  /** Marks whether the following lines travel inside TLS. */
  public synchronized void tls(boolean value) {
    this.tls = value;
  }

  /** Records a line the client sent. */
  public void sent(String line) {
    add(tlsNow() ? "~> " : "-> ", line);
  }

  /** Records a line the server sent. */
  public void received(String line) {
    add(tlsNow() ? "<~ " : "<- ", line);
  }

  /** Records a line of another component's transcript (e.g. a sender's) as it is, scrubbed. */
  public void external(String line) {
    add("", line);
  }

  /** Records a note. */
  public void note(String text) {
    add("=== ", text);
  }

  private synchronized boolean tlsNow() {
    return tls;
  }

  private synchronized void add(String prefix, String line) {
    if (!enabled) {
      return;
    }
    if (lines.size() >= MAX_LINES) {
      if (!truncated) {
        truncated = true;
        lines.add("=== (transcript cut after " + MAX_LINES + " lines)");
      }
      return;
    }
    lines.add(prefix + Text.sanitize(scrub(line), MAX_LINE));
  }

  /** Returns the lines so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
