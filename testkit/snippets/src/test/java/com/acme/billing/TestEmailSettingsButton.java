package com.acme.billing;

import dev.mailroom.EmailSettings;
import dev.mailroom.Failure;
import dev.mailroom.diagnostics.ConnectionDiagnostics;
import dev.mailroom.diagnostics.DiagnosticOptions;
import dev.mailroom.diagnostics.DiagnosticReport;
import java.util.Locale;
import java.util.Optional;

public final class TestEmailSettingsButton {
  /** What the settings form shows after "Test email settings", and settings it can offer to fix the form. */
  public record Outcome(String message, Optional<EmailSettings> suggestedFix) {}

  public static Outcome test(EmailSettings settings, String myAddress, Locale locale) {
    DiagnosticReport report = ConnectionDiagnostics.run(settings,
        DiagnosticOptions.builder()
            .testRecipient(myAddress)   // without it nothing is sent: the run stops after signing in
            .locale(locale)             // English, Bengali (bn) or Swahili (sw)
            .transcript(true)           // swaks-style, passwords shown as ******
            .build());

    if (report.ok()) {
      return new Outcome(report.toText(locale), Optional.empty());  // or report.toJson(locale)
    }
    Failure f = report.failure().orElseThrow();       // classified like the senders classify it
    String message = f.title(locale) + "\n" + f.hint(locale) + "\n"
        + String.join("\n", report.troubleshooting(locale));
    return new Outcome(message, report.suggestedSettings()); // "did you mean": the other TLS mode works
  }
}
