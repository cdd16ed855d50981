package dev.mailroom.diagnostics;

import dev.mailroom.EmailSettings;
import dev.mailroom.Protocol;
import java.util.Objects;

/**
 * The settings form's "Test email settings" button: checks settings step by step, like swaks, and says
 * what failed, where, why and what to do.
 *
 * <pre>{@code
 * DiagnosticReport report = ConnectionDiagnostics.run(settings,
 *     DiagnosticOptions.builder().testRecipient("me@acme.example").build());
 * if (report.ok()) {
 *   showInfo("Test email sent.");
 * } else {
 *   Failure f = report.failure().orElseThrow();
 *   showError(f.title(locale), f.hint(locale), report.troubleshooting(locale));
 * }
 * }</pre>
 *
 * <p>SMTP: resolve the server name, connect, TLS (port 465), greeting, EHLO and capabilities, STARTTLS,
 * EHLO again, sign in (AUTH), send a test email (only when {@link DiagnosticOptions#testRecipient()} is
 * set; otherwise nothing is sent) and QUIT, on a connection of its own with the settings' timeouts. HTTP:
 * resolve, connect, TLS, a request that checks the API key without sending where the provider has one, and
 * the test email through the HTTP sender. Failures are classified like the senders classify them; a
 * port/mode mistake is probed with the other mode ("did you mean"). The certificate is shown even when it
 * is not trusted. Warnings cover risky settings that work.
 *
 * <p>Runs on the calling thread and blocks for at most about the settings' timeouts per step (a UI calls it
 * from a background thread). Thread-safe: runs share nothing. Never throws for network problems; they are
 * in the report.
 */
public final class ConnectionDiagnostics {
  private ConnectionDiagnostics() {}

  /**
   * Checks the settings with the default options: nothing is sent.
   *
   * @param settings the settings to check
   * @return the report
   */
  public static DiagnosticReport run(EmailSettings settings) {
    return run(settings, DiagnosticOptions.ofDefaults());
  }

  /**
   * Checks the settings.
   *
   * @param settings the settings to check
   * @param options a test recipient, language, transcript, DNS and probe options
   * @return the report
   */
  public static DiagnosticReport run(EmailSettings settings, DiagnosticOptions options) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(options, "options");
    Session session = new Session(settings, options);
    if (settings.protocol() == Protocol.HTTP) {
      HttpCheck.run(session);
    } else {
      SmtpCheck.run(session);
    }
    return session.report();
  }
}
