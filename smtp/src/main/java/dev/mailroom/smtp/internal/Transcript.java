package dev.mailroom.smtp.internal;

import dev.mailroom.internal.Sanitizer;
import dev.mailroom.internal.Redactor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swaks-style protocol transcript of one connection: {@code ->} sent, {@code <-} received,
 * {@code ~>} and {@code <~} inside TLS, {@code ===} for what happened (connected, TLS started). Lines
 * pass through the connection's {@link Redactor} and are sanitized; AUTH payloads are replaced by
 * {@code ******} before they get here and message content never does. The same lines are logged at TRACE
 * under the logger {@code dev.mailroom.smtp.protocol}.
 */
final class Transcript {
  private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);
  /** The redacted transcript is also logged at TRACE under this logger. */
  private static final Logger PROTOCOL = LoggerFactory.getLogger("dev.mailroom.smtp.protocol");
  private static final int MAX_LINE = 1000;

  private final Consumer<String> consumer;
  private final Redactor redactor;
  private final String server;
  private boolean failedOnce;

  Transcript(Consumer<String> consumer, Redactor redactor, String server) {
    this.consumer = consumer;
    this.redactor = redactor;
    this.server = server;
  }

  boolean enabled() {
    return consumer != null || PROTOCOL.isTraceEnabled();
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
    boolean trace = PROTOCOL.isTraceEnabled();
    if (consumer == null && !trace) {
      return;
    }
    String text = prefix + Sanitizer.clean(line, redactor, MAX_LINE);
    if (trace) {
      PROTOCOL.trace("{} {}", server, text);
    }
    if (consumer == null) {
      return;
    }
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
