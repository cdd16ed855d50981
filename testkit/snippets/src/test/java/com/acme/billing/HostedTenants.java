package com.acme.billing;

import dev.mailroom.DestinationPolicy;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.diagnostics.ConnectionDiagnostics;
import dev.mailroom.diagnostics.DiagnosticOptions;
import dev.mailroom.diagnostics.DiagnosticReport;

public final class HostedTenants {
  private static final DestinationPolicy POLICY = DestinationPolicy.publicInternetOnly()
      .allowing("relay.internal.acme.example");                    // your own relay, if you have one

  public static Mailer open(EmailSettings tenantSettings) {
    return Mailer.open(tenantSettings, MailerOptions.builder().destinationPolicy(POLICY).build());
  }

  public static DiagnosticReport test(EmailSettings tenantSettings) {
    return ConnectionDiagnostics.run(tenantSettings,
        DiagnosticOptions.builder().destinationPolicy(POLICY).build());
  }
}
