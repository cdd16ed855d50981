package dev.mailroom.http;

import dev.mailroom.EmailSettings;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;

/**
 * The {@link SenderProvider} for {@link Protocol#HTTP}, found by {@link java.util.ServiceLoader}.
 */
public final class HttpSenderProvider implements SenderProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public HttpSenderProvider() {}

  @Override
  public Protocol protocol() {
    return Protocol.HTTP;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Sender open(EmailSettings settings, MailerOptions options) {
    throw new UnsupportedOperationException("the HTTP sender is not implemented yet");
  }
}
