package dev.mailroom.http.internal;

import dev.mailroom.internal.Redactor;

/**
 * Stands in for a cause whose messages contain the API key: same class name, stack trace and chain, with
 * the key redacted from every message.
 */
final class SafeCause extends Exception {
  private static final long serialVersionUID = 1L;

  private SafeCause(Throwable t, Redactor r, int depth) {
    super(t.getClass().getName() + ": " + r.redact(String.valueOf(t.getMessage())),
        t.getCause() != null && t.getCause() != t && depth < 10 ? new SafeCause(t.getCause(), r, depth + 1) : null,
        false, true);
    setStackTrace(t.getStackTrace());
  }

  /** The cause itself if no message in its chain contains the key, otherwise a redacted copy. */
  static Throwable of(Throwable t, Redactor r) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (m != null && !m.equals(r.redact(m))) {
        return new SafeCause(t, r, 0);
      }
      for (Throwable s : c.getSuppressed()) {
        String sm = String.valueOf(s);
        if (!sm.equals(r.redact(sm))) {
          return new SafeCause(t, r, 0);
        }
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
