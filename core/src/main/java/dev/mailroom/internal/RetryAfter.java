package dev.mailroom.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses "retry later" signals: {@code Retry-After} (seconds or HTTP-date) and rate-limit reset headers. */
public final class RetryAfter {
  /** Longer waits are cut to this; the Mailer does not retry when asked to wait longer than its backoff. */
  static final Duration MAX = Duration.ofDays(1);
  private static final Pattern SECONDS = Pattern.compile("^[0-9]{1,12}$");
  private static final Pattern DECIMAL_SECONDS = Pattern.compile("^[0-9]{1,12}\\.[0-9]{1,9}$");

  private RetryAfter() {}

  /**
   * Parses a {@code Retry-After} value: a number of seconds or an HTTP-date (RFC 9110: IMF-fixdate, and the
   * obsolete RFC 850 and asctime forms are not accepted). A date in the past means zero.
   *
   * @param value the header value
   * @param now the current time
   * @return the delay, or empty when the value is not valid
   */
  public static Optional<Duration> parse(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    if (v.isEmpty() || v.length() > 64) {
      return Optional.empty();
    }
    if (SECONDS.matcher(v).matches()) {
      return Optional.of(cap(Duration.ofSeconds(Long.parseLong(v))));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(cap(at.isBefore(now) ? Duration.ZERO : Duration.between(now, at)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses a number of seconds to wait, such as Brevo's {@code x-sib-ratelimit-reset} or the
   * {@code RateLimit-Reset} of the IETF draft; fractions are rounded up.
   *
   * @return the delay, or empty when the value is not a non-negative number
   */
  public static Optional<Duration> seconds(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip();
    if (SECONDS.matcher(v).matches()) {
      return Optional.of(cap(Duration.ofSeconds(Long.parseLong(v))));
    }
    if (DECIMAL_SECONDS.matcher(v).matches()) {
      double d = Double.parseDouble(v);
      return Optional.of(cap(Duration.ofMillis((long) Math.ceil(d * 1000))));
    }
    return Optional.empty();
  }

  /**
   * Parses a reset time in seconds since the epoch, such as SendGrid's {@code X-RateLimit-Reset}, into
   * the delay until then (zero if past).
   *
   * @return the delay, or empty when the value is not a number
   */
  public static Optional<Duration> epochSeconds(String value, Instant now) {
    if (value == null || !SECONDS.matcher(value.strip()).matches()) {
      return Optional.empty();
    }
    Instant at = Instant.ofEpochSecond(Long.parseLong(value.strip()));
    return Optional.of(cap(at.isBefore(now) ? Duration.ZERO : Duration.between(now, at)));
  }

  /**
   * The wait an HTTP error response asks for, from its headers, the same for the HTTP sender and the
   * diagnostics: {@code Retry-After} (seconds or HTTP-date) first, then the provider's reset header
   * (SendGrid's {@code X-RateLimit-Reset}, seconds since the epoch; Brevo's {@code x-sib-ratelimit-reset},
   * seconds), then the IETF draft's {@code RateLimit-Reset} (seconds).
   *
   * @param header the response's headers by name, case-insensitive: the first value or empty
   * @param provider the provider (dialect id), or null
   * @param now the current time
   * @return the delay, or empty when the response names none
   */
  public static Optional<Duration> fromHeaders(java.util.function.Function<String, Optional<String>> header,
      String provider, Instant now) {
    Optional<Duration> d = header.apply("Retry-After").flatMap(v -> parse(v, now));
    if (d.isEmpty() && "sendgrid".equals(provider)) {
      d = header.apply("X-RateLimit-Reset").flatMap(v -> epochSeconds(v, now));
    }
    if (d.isEmpty() && "brevo".equals(provider)) {
      d = header.apply("x-sib-ratelimit-reset").flatMap(RetryAfter::seconds);
    }
    if (d.isEmpty()) {
      d = header.apply("RateLimit-Reset").flatMap(RetryAfter::seconds);
    }
    return d;
  }

  private static Duration cap(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
