package dev.mailroom.smtp.internal;

import dev.mailroom.internal.Text;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swaks-style protocol transcript of one connection: {@code ->} sent, {@code <-} received,
 * {@code ~>} and {@code <~} inside TLS, {@code ===} for what happened (connected, TLS started). Lines
 * pass through the connection's {@link Redactor} and are sanitized; AUTH payloads are replaced by
 * {@code ******} before they get here and message content never does.
 */
final class Transcript {
  private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);
  private static final int MAX_LINE = 1000;

  private final Consumer<String> consumer;
  private final Redactor redactor;
  private boolean failedOnce;

  Transcript(Consumer<String> consumer, Redactor redactor) {
    this.consumer = consumer;
    this.redactor = redactor;
  }

  boolean enabled() {
    return consumer != null;
  }

  void sent(boolean tls, String line) {
    emit(tls ? "~> " : "-> ", line);
  }

  void received(boolean tls, String line) {
    emit(tls ? "<~ " : "<- ", line);
  }

  void info(String line) {
    emit("=== ", line);
  }

  private void emit(String prefix, String line) {
    if (consumer == null) {
      return;
    }
    String text = prefix + Text.sanitize(redactor.redact(line), MAX_LINE);
    try {
      consumer.accept(text);
    } catch (RuntimeException e) {
      if (!failedOnce) {
        failedOnce = true;
        LOG.debug("The transcript consumer failed; transcript lines of this connection may be missing", e);
      }
    }
  }
}
