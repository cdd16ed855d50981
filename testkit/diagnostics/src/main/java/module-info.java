/**
 * "Test email settings": the connection diagnostics an application ships next to its email settings form.
 * {@link dev.mailroom.diagnostics.ConnectionDiagnostics} runs the steps a real send takes and explains the
 * first failure with the senders' own classification.
 */
module dev.mailroom.diagnostics {
  requires transitive dev.mailroom;
  requires dev.mailroom.smtp;
  requires dev.mailroom.http;
  requires com.fasterxml.jackson.core;
  requires java.naming; // MX look-ups for provider detection (JNDI DNS)

  exports dev.mailroom.diagnostics;
}
