/**
 * The HTTP sender of Mailroom, on {@code java.net.http}: the settings form's own HTTP mail protocol
 * ({@code form}) and the HTTP APIs of SendGrid, Mailgun, Postmark, Resend and Brevo. More dialects plug in
 * through {@link dev.mailroom.http.HttpDialect} ({@link java.util.ServiceLoader}).
 */
module dev.mailroom.http {
  requires transitive dev.mailroom;
  requires transitive java.net.http;
  requires methanol;
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports dev.mailroom.http;
  // the failure classification of error responses and the bounded JSON reader, for the diagnostics (one
  // engine with the sender) and the test kit
  exports dev.mailroom.http.internal to dev.mailroom.diagnostics, dev.mailroom.testkit;

  uses dev.mailroom.http.HttpDialect;

  provides dev.mailroom.spi.SenderProvider with dev.mailroom.http.HttpSenderProvider;
}
