package dev.mailroom.http;

import dev.mailroom.spi.SenderContext;
import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import dev.mailroom.http.internal.HttpSender;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;
import java.util.Objects;

/**
 * The {@link SenderProvider} for {@link Protocol#HTTP}, found by {@link java.util.ServiceLoader}.
 *
 * <p>Each sender it opens has its own {@link java.net.http.HttpClient} (HTTP/1.1, redirects not followed,
 * the settings' connect timeout, the settings' read timeout as the longest wait without progress) and
 * its own daemon threads, released by {@link Sender#close()}. The wire format is the {@link HttpDialect}
 * that {@link HttpDialects#forSettings(EmailSettings)} chooses. Certificates and host names are verified
 * unless {@link EmailSettings#verifyTlsCertificate()} is false; then this client alone trusts every
 * certificate, and one warning naming the host is logged.
 *
 * <p>Thread-safe.
 */
public final class HttpSenderProvider implements SenderProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public HttpSenderProvider() {}

  /**
   * Returns {@link Protocol#HTTP}.
   *
   * @return HTTP
   */
  @Override
  public Protocol protocol() {
    return Protocol.HTTP;
  }

  /**
   * Returns {@code http}.
   *
   * @return the name
   */
  @Override
  public String name() {
    return "http";
  }

  /**
   * Opens an HTTP sender. Does not connect.
   *
   * @param settings HTTP settings
   * @param options the mailer's options
   * @return the sender
   * @throws IllegalArgumentException if the settings are not for HTTP, name an unknown dialect (the
   *     message lists the known ones), or the dialect cannot work with them (e.g. no API key)
   */
  @Override
  public Sender open(EmailSettings settings, SenderContext options) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    if (settings.protocol() != Protocol.HTTP) {
      throw new IllegalArgumentException("the HTTP sender needs settings with protocol HTTP, not "
          + settings.protocol());
    }
    HttpDialect dialect = HttpDialects.forSettings(settings);
    dialect.checkSettings(settings);
    return HttpSender.open(settings, options, dialect);
  }
}
