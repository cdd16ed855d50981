package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Jazzer fuzz test of the "retry later" parsers: whatever a server sends, parsing never throws and never
 * yields a negative or unbounded wait. A normal test run replays the inputs under
 * {@code src/test/resources/dev/mailroom/internal/RetryAfterFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes.
 */
class RetryAfterFuzzTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @FuzzTest(maxDuration = "30s")
  void parse(FuzzedDataProvider data) {
    String value = data.consumeRemainingAsString();
    check(RetryAfter.parse(value, NOW));
    check(RetryAfter.seconds(value));
    check(RetryAfter.epochSeconds(value, NOW));
    if (value.strip().matches("[0-9]{1,5}")) {
      Duration asked = Duration.ofSeconds(Long.parseLong(value.strip()));
      Duration expected = asked.compareTo(RetryAfter.MAX) > 0 ? RetryAfter.MAX : asked;
      assertThat(RetryAfter.parse(value, NOW)).contains(expected);
    }
  }

  private static void check(Optional<Duration> d) {
    d.ifPresent(x -> assertThat(x).isBetween(Duration.ZERO, RetryAfter.MAX));
  }
}
