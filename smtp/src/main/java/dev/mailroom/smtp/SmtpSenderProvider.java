package dev.mailroom.smtp;

import dev.mailroom.spi.SenderContext;
import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.smtp.internal.SmtpSender;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;
import java.util.Objects;

/**
 * The {@link SenderProvider} for {@link Protocol#SMTP}, found by {@link java.util.ServiceLoader}: sends
 * over SMTP with Jakarta Mail (Eclipse Angus) on Mailroom's own guarded sockets.
 *
 * <p>Everything comes from the {@link EmailSettings} and the {@link dev.mailroom.spi.SenderContext}: host, port and TLS mode
 * ({@link dev.mailroom.TlsMode#STARTTLS} is required, never a silent fallback to plain text), the
 * certificate check (the JVM's trust store and the host name; off only with
 * {@link EmailSettings#verifyTlsCertificate()} false), the login (PLAIN or LOGIN with a password, or
 * XOAUTH2 with a token asked from the settings' supplier for every new connection), the connect and read
 * timeouts (the read timeout bounds each whole server reply and each write), the connection pool and the
 * protocol transcript.
 *
 * <p>Thread-safe; the senders it opens are thread-safe too.
 */
public final class SmtpSenderProvider implements SenderProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public SmtpSenderProvider() {}

  @Override
  public Protocol protocol() {
    return Protocol.SMTP;
  }

  @Override
  public String name() {
    return "smtp (Angus Mail)";
  }

  /**
   * Creates an SMTP sender. Does not connect.
   *
   * @param settings SMTP settings
   * @param options the mailer's options
   * @return the sender
   * @throws IllegalArgumentException if the settings are not SMTP settings or have no host
   */
  @Override
  public Sender open(EmailSettings settings, SenderContext options) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    if (settings.protocol() != Protocol.SMTP) {
      throw new IllegalArgumentException("protocol: the SMTP sender cannot send with protocol "
          + settings.protocol());
    }
    return new SmtpSender(settings, options);
  }
}
