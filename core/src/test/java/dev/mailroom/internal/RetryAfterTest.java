package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void readsSeconds() {
    assertThat(RetryAfter.parse("120", NOW)).hasValue(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).hasValue(Duration.ZERO);
  }

  @Test
  void readsAnHttpDate() {
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 12:01:30 GMT", NOW)).hasValue(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", NOW)).hasValue(Duration.ZERO);
  }

  @Test
  void capsHugeValues() {
    assertThat(RetryAfter.parse("999999999999", NOW)).hasValue(RetryAfter.MAX);
    assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).hasValue(RetryAfter.MAX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "-1", "1.5", "abc", "1e9", "9999999999999", "0x10", "Sun, 99 Mar 2026 12:00:00 GMT",
      "12 seconds", "\u0661\u0662"})
  void ignoresGarbage(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }

  @Test
  void readsResetHeaders() {
    assertThat(RetryAfter.seconds("7")).hasValue(Duration.ofSeconds(7));
    assertThat(RetryAfter.seconds("0.25")).hasValue(Duration.ofMillis(250));
    assertThat(RetryAfter.seconds("later")).isEmpty();
    assertThat(RetryAfter.epochSeconds(Long.toString(NOW.getEpochSecond() + 30), NOW)).hasValue(Duration.ofSeconds(30));
    assertThat(RetryAfter.epochSeconds(Long.toString(NOW.getEpochSecond() - 30), NOW)).hasValue(Duration.ZERO);
    assertThat(RetryAfter.epochSeconds("soon", NOW)).isEmpty();
  }
}
