package dev.mailroom.diagnostics.internal;

import dev.mailroom.internal.Redactor;
import dev.mailroom.internal.Sanitizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A swaks-style transcript of one diagnostic session: {@code ->} sent, {@code <-} received, {@code ~>} and
 * {@code <~} inside TLS, {@code ===} notes. Secrets are never written: callers pass the redacted form of
 * AUTH lines, and every line also passes through the one {@link Redactor} (every registered secret in
 * every encoded form) and the one {@link Sanitizer} as a second guard. Bounded in lines and line length. Thread-safe.
 */
public final class Transcript {
  /** Replaces secrets in transcripts and details. */
  public static final String REDACTED = Redactor.MASK;
  private static final int MAX_LINES = 2000;
  private static final int MAX_LINE = 400;

  private final boolean enabled;
  private final List<String> lines = new ArrayList<>();
  private final Redactor redactor = Redactor.of();
  private boolean tls;
  private boolean truncated;

  /**
   * @param enabled whether lines are kept; a disabled transcript still scrubs secrets in {@link #scrub}
   */
  public Transcript(boolean enabled) {
    this.enabled = enabled;
  }

  /** Registers a secret (a password, token or API key) that must never appear, in any form it is echoed in. */
  public void secret(String value) {
    redactor.addSecret(value);
  }

  /** Registers an exact payload that was sent (an AUTH line's argument) and must never appear. */
  public void payload(String value) {
    redactor.addPayload(value);
  }

  /** The one redactor of this session, with every registered secret. */
  public Redactor redactor() {
    return redactor;
  }

  /** Replaces every registered secret in {@code text}, in every form, with {@code ******}. */
  public String scrub(String text) {
    return redactor.redact(text);
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
    lines.add(prefix + Sanitizer.clean(line, redactor, MAX_LINE));
  }

  /** Returns the lines so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
