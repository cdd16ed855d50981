/**
 * Mailroom core: email settings, provider presets, the message model, the {@link dev.mailroom.Mailer}
 * facade and the extension points in {@code dev.mailroom.spi}.
 *
 * <p>Senders for a protocol live in their own modules ({@code dev.mailroom.smtp},
 * {@code dev.mailroom.http}) and are found through {@link java.util.ServiceLoader}.
 */
module dev.mailroom {
  requires org.slf4j;
  requires com.fasterxml.jackson.core; // OAuth2 token-endpoint answers, service-account keys, JWT claims
  requires java.net.http; // the OAuth2 token endpoints, and HttpConnectTimeoutException in the shared failure classification

  exports dev.mailroom;
  exports dev.mailroom.spi;
  // shared helpers for the sender modules only; not part of the public API
  exports dev.mailroom.internal to dev.mailroom.smtp, dev.mailroom.http, dev.mailroom.diagnostics, dev.mailroom.testkit,
      dev.mailroom.cli;
  // the one MIME writer, shared by the SMTP sender and the HTTP dialects that take a raw message
  exports dev.mailroom.internal.mime to dev.mailroom.smtp, dev.mailroom.http;

  uses dev.mailroom.spi.SenderProvider;
  uses dev.mailroom.spi.PresetProvider;
}
