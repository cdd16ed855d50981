package com.acme.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.Mailer;
import dev.mailroom.SendException;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.ProviderPersona;
import dev.mailroom.testkit.junit.StartStop;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class GmailPersonaTest {
  @StartStop
  static FaultySmtpServer gmail = FaultySmtpServer.builder()
      .persona(ProviderPersona.GMAIL_BAD_CREDENTIALS).build();
  // GMAIL_APP_PASSWORD_REQUIRED, GMAIL_RATE_LIMITED, MICROSOFT_365_SMTP_AUTH_DISABLED,
  // MICROSOFT_365_BASIC_AUTH_RETIRED, MICROSOFT_365_BAD_CREDENTIALS, MICROSOFT_365_SEND_AS_DENIED,
  // YAHOO_TOO_MANY_BAD_ATTEMPTS, YAHOO_POLICY_REJECTED

  @Test
  void showsGmailsAppPasswordAdvice() {
    try (Mailer mailer = Mailer.open(gmail.settings())) {
      SendException e = catchThrowableOfType(SendException.class, () -> new InvoiceService(mailer)
          .email("INV-1", "jane@customer.test", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)));
      assertThat(e.hint(Locale.ENGLISH)).contains("app password");
    }
  }
}
