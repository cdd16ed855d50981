package dev.mailroom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class NetworkFailuresTest {
  @Test
  void theJdksConnectTimeoutMessageIsAConnectTimeout() {
    // NioSocketImpl says "Connect timed out", the old PlainSocketImpl "connect timed out"
    for (String message : new String[] {"Connect timed out", "connect timed out"}) {
      Failure f = NetworkFailures.classify(new SocketTimeoutException(message), "smtp.example.com", 587, false)
          .build();
      assertThat(f.category()).isEqualTo(FailureCategory.CONNECTION);
      assertThat(f.hintKey()).isEqualTo("hint.connection.connect-timeout");
    }
  }

  @Test
  void aReadTimeoutIsATransientTimeout() {
    Failure f = NetworkFailures.classify(new SocketTimeoutException("Read timed out"), "smtp.example.com", 587,
        false).build();
    assertThat(f.category()).isEqualTo(FailureCategory.TIMEOUT);
    assertThat(f.isTransient()).isTrue();
  }
}
