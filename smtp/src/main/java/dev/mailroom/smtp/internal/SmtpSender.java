package dev.mailroom.smtp.internal;

import dev.mailroom.spi.SenderContext;
import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.FailureCategory;
import dev.mailroom.SendException;
import dev.mailroom.SendReceipt;
import dev.mailroom.internal.Text;
import dev.mailroom.internal.mime.Refusal;
import dev.mailroom.spi.SendRequest;
import dev.mailroom.spi.Sender;
import java.util.Objects;

/**
 * The SMTP {@link Sender}: builds each message before touching a connection, then sends it over a pooled
 * connection (or, when it needs SMTPUTF8, over a connection of its own). Thread-safe.
 */
public final class SmtpSender implements Sender {
  private final SmtpConfig cfg;
  private final ConnectionPool pool;
  private volatile boolean closed;

  /**
   * Creates the sender; does not connect.
   *
   * @param settings SMTP settings
   * @param options the mailer's options
   * @throws IllegalArgumentException if the settings cannot be used for SMTP
   */
  public SmtpSender(EmailSettings settings, SenderContext options) {
    this.cfg = new SmtpConfig(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(options, "options"));
    this.pool = new ConnectionPool(cfg);
  }

  @Override
  public SendReceipt send(SendRequest request) throws SendException {
    Objects.requireNonNull(request, "request");
    if (closed) {
      throw new IllegalStateException("this sender is closed");
    }
    PreparedMessage p;
    try {
      p = PreparedMessage.of(cfg, request);
    } catch (IllegalArgumentException e) {
      String why = Text.sanitize(e.getMessage(), 400);
      Failure.Builder f = Failure.builder(FailureCategory.CONFIGURATION).server(cfg.host(), cfg.port())
          .message("The message cannot be sent as it is: " + why);
      if (e instanceof Refusal) {
        f.hint(((Refusal) e).hintKey(), ((Refusal) e).detail());
      } else {
        f.hint("hint.CONFIGURATION", why);
      }
      throw new SendException(f.build());
    }
    return p.utf8 ? pool.sendUtf8(p) : pool.send(p);
  }

  /** Ends every kept connection with QUIT. Idempotent. */
  @Override
  public void close() {
    closed = true;
    pool.close();
  }

  /** How many connections are open (for tests). */
  int openConnections() {
    return pool.openConnections();
  }
}
