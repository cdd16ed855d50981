package dev.mailroom.diagnostics.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply: the code and the text of each line (without the code and separator).
 *
 * @param code the three-digit code
 * @param lines the text of each line
 */
public record SmtpReply(int code, List<String> lines) {
  private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(\\s|$)");

  /** Copies the lines. */
  public SmtpReply {
    lines = List.copyOf(lines);
  }

  /** The RFC 3463 enhanced status code of the first line, if any. */
  public Optional<String> enhancedStatus() {
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = ENHANCED.matcher(lines.get(0));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** True for 2xx. */
  public boolean positive() {
    return code >= 200 && code < 300;
  }

  /** True for 4xx: a temporary failure. */
  public boolean transientNegative() {
    return code >= 400 && code < 500;
  }

  /**
   * The reply as one line: the code, the enhanced status once, and the text of all lines, e.g.
   * {@code 535 5.7.8 Username and Password not accepted. For more information, go to https://...}.
   */
  public String oneLine() {
    StringBuilder b = new StringBuilder().append(code);
    String status = enhancedStatus().orElse(null);
    for (String line : lines) {
      String t = line;
      if (status != null && t.startsWith(status)) {
        t = t.substring(status.length()).strip();
        if (b.length() == 3) {
          b.append(' ').append(status);
        }
      }
      if (!t.isEmpty()) {
        b.append(' ').append(t);
      }
    }
    return b.toString();
  }

  /** The EHLO keywords in upper case with their parameters, e.g. {@code AUTH PLAIN LOGIN}. */
  public List<String> extensions() {
    return lines.size() <= 1 ? List.of() : lines.subList(1, lines.size()).stream()
        .map(l -> l.strip())
        .filter(l -> !l.isEmpty())
        .map(l -> {
          int sp = l.indexOf(' ');
          return sp < 0 ? l.toUpperCase(Locale.ROOT)
              : l.substring(0, sp).toUpperCase(Locale.ROOT) + l.substring(sp);
        })
        .toList();
  }

  @Override
  public String toString() {
    return oneLine();
  }
}
