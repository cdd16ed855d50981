package dev.mailroom;

import java.util.Objects;
import java.util.Optional;

/**
 * One of the ways a {@link Mailer} can send: the server of one {@link EmailSettings}, without any secret.
 * A mailer opened with several settings ({@link Mailer#open(java.util.List, MailerOptions)}) has one
 * transport per settings, in order; {@link SendReceipt#transport()} says which one delivered.
 *
 * @param index the position of the settings in the list the mailer was opened with, 0 for the first
 * @param protocol SMTP or HTTP
 * @param host the server's host name
 * @param port the server's port
 * @param provider the provider: the preset id for SMTP (e.g. {@code office365}), the dialect for HTTP
 *     (e.g. {@code sendgrid}) when set; empty when not known
 */
public record Transport(int index, Protocol protocol, String host, int port, Optional<String> provider) {

  /**
   * Validates the components.
   *
   * @param index see the record component
   * @param protocol see the record component
   * @param host see the record component
   * @param port see the record component
   * @param provider see the record component
   * @throws IllegalArgumentException if the index is negative or the port is out of range
   */
  public Transport {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(provider, "provider");
    if (index < 0) {
      throw new IllegalArgumentException("transport index must not be negative: " + index);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("transport port must be between 0 and 65535: " + port);
    }
  }

  /**
   * Describes the transport of settings, without secrets.
   *
   * @param index the position of the settings in the mailer's list
   * @param settings the settings
   * @return the transport
   */
  public static Transport of(int index, EmailSettings settings) {
    Objects.requireNonNull(settings, "settings");
    String host = settings.host()
        .or(() -> settings.httpServer().map(u -> u.getHost() == null ? "" : u.getHost()))
        .orElse("");
    Optional<String> provider = settings.protocol() == Protocol.SMTP
        ? settings.preset().map(ProviderPreset::id)
        : settings.httpDialect();
    return new Transport(index, settings.protocol(), host, settings.port(), provider);
  }

  /**
   * Returns e.g. {@code smtp://smtp.office365.com:587} (never a user name, password or path).
   *
   * @return the description
   */
  @Override
  public String toString() {
    String scheme = protocol == Protocol.SMTP ? "smtp" : port == 80 ? "http" : "https";
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme + "://" + h + ":" + port;
  }
}
