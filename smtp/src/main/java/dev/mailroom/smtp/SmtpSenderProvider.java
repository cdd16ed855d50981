package dev.mailroom.smtp;

import dev.mailroom.EmailSettings;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import dev.mailroom.spi.Sender;
import dev.mailroom.spi.SenderProvider;

/**
 * The {@link SenderProvider} for {@link Protocol#SMTP}, found by {@link java.util.ServiceLoader}.
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
    return "smtp";
  }

  @Override
  public Sender open(EmailSettings settings, MailerOptions options) {
    throw new UnsupportedOperationException("the SMTP sender is not implemented yet");
  }
}
