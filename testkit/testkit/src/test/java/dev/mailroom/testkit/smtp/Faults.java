package dev.mailroom.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.ScriptedSmtpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Shared settings and helpers of the SMTP fault tests: generous timeouts (a loaded CI machine must not turn a
 * slow reply into a failure), one attempt, a transcript. Only tests that exercise a timeout use
 * {@link #SHORT}, through {@link #timingOut}.
 */
final class Faults {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** For tests that exercise a timeout: they assert the category, never the elapsed time. */
  static final Duration SHORT = Duration.ofSeconds(1);

  private Faults() {}

  static EmailSettings.Builder settings(ScriptedSmtpServer server) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(server.port())
        .tlsMode(TlsMode.NONE).emailAddress("billing@acme.example").senderName("Acme Ltd")
        .connectTimeout(TIMEOUT).readTimeout(TIMEOUT);
  }

  static EmailSettings.Builder settings(int port) {
    return EmailSettings.builder().protocol(Protocol.SMTP).host("127.0.0.1").port(port)
        .tlsMode(TlsMode.NONE).emailAddress("billing@acme.example")
        .connectTimeout(TIMEOUT).readTimeout(TIMEOUT);
  }

  /** Short connect and read (and so write) timeouts, for tests that exercise a timeout. */
  static EmailSettings.Builder timingOut(EmailSettings.Builder b) {
    return b.connectTimeout(SHORT).readTimeout(SHORT);
  }

  static Email email() {
    return Email.builder().to("customer@example.com").subject("Invoice 42").text("Please pay.").build();
  }

  /** Sends one email with one attempt and returns the failure; fails the test if the send succeeds. */
  static SendException fail(EmailSettings settings) {
    return fail(settings, MailerOptions.builder().maxAttempts(1).build());
  }

  static SendException fail(EmailSettings settings, MailerOptions options) {
    try (Mailer mailer = Mailer.open(settings, options)) {
      SendException e = catchThrowableOfType(SendException.class, () -> mailer.send(email()));
      assertThat(e).as("the send must fail").isNotNull();
      return e;
    }
  }

  /** A transcript collector. */
  static final class Transcript {
    final List<String> lines = new CopyOnWriteArrayList<>();

    MailerOptions options(int attempts) {
      return MailerOptions.builder().maxAttempts(attempts).initialBackoff(Duration.ofMillis(10))
          .maxBackoff(Duration.ofMillis(50)).transcript(lines::add).build();
    }

    String text() {
      return String.join("\n", new ArrayList<>(lines));
    }
  }
}
