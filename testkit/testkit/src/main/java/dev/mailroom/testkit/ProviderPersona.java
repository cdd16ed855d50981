package dev.mailroom.testkit;

import dev.mailroom.testkit.ScriptedSmtpServer.Step;
import java.util.List;

/**
 * Real failure replies of Gmail, Microsoft 365 and Yahoo, replayed by a {@link FaultySmtpServer} with the
 * provider's greeting and EHLO capabilities, so that a test sees exactly what users see: e.g. Gmail's
 * {@code 535-5.7.8 Username and Password not accepted} when a normal password is used instead of an app
 * password.
 *
 * <pre>{@code
 * @StartStop
 * static FaultySmtpServer gmail = FaultySmtpServer.builder().persona(ProviderPersona.GMAIL_BAD_CREDENTIALS).build();
 *
 * @Test
 * void explainsTheAppPassword() {
 *   SendException e = assertThrows(SendException.class, () -> mailer(gmail.settings()).send(invoice));
 *   assertEquals("hint.auth.gmail-bad-credentials", e.failure().hintKey());
 * }
 * }</pre>
 *
 * <p>Texts from the providers' documentation and observed replies (session ids made up). The server
 * answers every occurrence of {@link #step()} with {@link #reply()}.
 */
public enum ProviderPersona {
  /** Gmail refuses the normal account password: use an app password. */
  GMAIL_BAD_CREDENTIALS(Provider.GMAIL, Step.AUTH,
      "535-5.7.8 Username and Password not accepted. For more information, go to",
      "535 5.7.8  https://support.google.com/mail/?p=BadCredentials d9443c01a7336-21f0b2d6c1asm7712345ad.12 - gsmtp"),
  /** Gmail with 2-Step Verification: an app-specific password is required. */
  GMAIL_APP_PASSWORD_REQUIRED(Provider.GMAIL, Step.AUTH,
      "534-5.7.9 Application-specific password required. For more information, go to",
      "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d9443c01a7336-21f0b2d6c1asm7712345ad.12"
          + " - gsmtp"),
  /** Gmail is limiting the rate of sending. */
  GMAIL_RATE_LIMITED(Provider.GMAIL, Step.MAIL,
      "421-4.7.0 Try again later, closing connection. (MAIL)",
      "421 4.7.0  https://support.google.com/mail/answer/81126 d9443c01a7336-21f0b2d6c1asm7712345ad.12 - gsmtp"),
  /** Microsoft 365 with SMTP AUTH disabled for the tenant (or by security defaults). */
  MICROSOFT_365_SMTP_AUTH_DISABLED(Provider.MICROSOFT_365, Step.AUTH,
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit"
          + " https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com"
          + " 2026-11-22T08:00:00.000Z 08DD0A1B2C3D4E5F]"),
  /** Microsoft 365 after the retirement of Basic authentication: OAuth2 only. */
  MICROSOFT_365_BASIC_AUTH_RETIRED(Provider.MICROSOFT_365, Step.AUTH,
      "550 5.7.30 Basic authentication is not supported for Client Submission."),
  /** Microsoft 365 rejects the password (or MFA blocks it). */
  MICROSOFT_365_BAD_CREDENTIALS(Provider.MICROSOFT_365, Step.AUTH,
      "535 5.7.3 Authentication unsuccessful [AM0PR01CA0001.eurprd01.prod.exchangelabs.com"
          + " 2026-11-22T08:00:00.000Z 08DD0A1B2C3D4E5F]"),
  /** Microsoft 365 refuses a From address that is not the signed-in mailbox. */
  MICROSOFT_365_SEND_AS_DENIED(Provider.MICROSOFT_365, Step.MESSAGE,
      "550 5.7.60 SMTP; Client does not have permissions to send as this sender"
          + " [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2026-11-22T08:00:00.000Z 08DD0A1B2C3D4E5F]"),
  /** Yahoo after too many failed logins (a normal password instead of an app password). */
  YAHOO_TOO_MANY_BAD_ATTEMPTS(Provider.YAHOO, Step.AUTH,
      "535 5.7.0 (#AUTH005) Too many bad auth attempts."),
  /** Yahoo refuses the message for policy reasons (DMARC). */
  YAHOO_POLICY_REJECTED(Provider.YAHOO, Step.MESSAGE,
      "554 5.7.9 Message not accepted for policy reasons.  See https://help.yahoo.com/kb/postmaster/SLN7253.html");

  /** The provider's greeting and capabilities. */
  enum Provider {
    GMAIL("smtp.gmail.com", "220 smtp.gmail.com ESMTP d9443c01a7336-21f0b2d6c1asm7712345ad.12 - gsmtp",
        List.of("SIZE 35882577", "8BITMIME", "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH",
            "ENHANCEDSTATUSCODES", "PIPELINING", "CHUNKING", "SMTPUTF8")),
    MICROSOFT_365("AM0PR01CA0001.outlook.office365.com",
        "220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 22 Nov 2026"
            + " 08:00:00 +0000",
        List.of("SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "AUTH LOGIN XOAUTH2", "8BITMIME",
            "BINARYMIME", "CHUNKING", "SMTPUTF8")),
    YAHOO("smtp.mail.yahoo.com", "220 smtp.mail.yahoo.com ESMTP ready",
        List.of("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "SIZE 41697280",
            "AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER"));

    final String hostName;
    final String greeting;
    final List<String> extensions;

    Provider(String hostName, String greeting, List<String> extensions) {
      this.hostName = hostName;
      this.greeting = greeting;
      this.extensions = extensions;
    }
  }

  private final Provider provider;
  private final Step step;
  private final List<String> reply;

  ProviderPersona(Provider provider, Step step, String... reply) {
    this.provider = provider;
    this.step = step;
    this.reply = List.of(reply);
  }

  /**
   * Returns the provider's name as users know it, e.g. "Gmail".
   *
   * @return the name
   */
  public String providerName() {
    switch (provider) {
      case GMAIL:
        return "Gmail";
      case MICROSOFT_365:
        return "Microsoft 365";
      default:
        return "Yahoo";
    }
  }

  /**
   * Returns the step the persona fails.
   *
   * @return the step
   */
  public Step step() {
    return step;
  }

  /**
   * Returns the reply lines as the provider sends them, with codes.
   *
   * @return the lines
   */
  public List<String> reply() {
    return reply;
  }

  /**
   * Returns the server name the persona uses in its greeting and EHLO reply.
   *
   * @return the host name
   */
  public String hostName() {
    return provider.hostName;
  }

  String greeting() {
    return provider.greeting;
  }

  List<String> extensions() {
    return provider.extensions;
  }
}
