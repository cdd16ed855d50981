package dev.mailroom;

import dev.mailroom.internal.Services;
import dev.mailroom.spi.PresetProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The known email providers: built-in presets and those that plugins add through
 * {@link PresetProvider}.
 *
 * <pre>{@code
 * EmailSettings settings = EmailSettings.builder()
 *     .preset(Presets.GMAIL)
 *     .username("billing@gmail.com")
 *     .password(appPassword)
 *     .build();
 *
 * Presets.forEmailAddress("someone@googlemail.com"); // Optional[gmail]
 * }</pre>
 *
 * <p>Every built-in preset names the page its settings come from ({@link ProviderPreset#sourceUrl()}).
 * Thread-safe; plugins are loaded once, on first use.
 */
public final class Presets {
  private static final Logger LOG = LoggerFactory.getLogger(Presets.class);
  private static final Pattern SES_REGION = Pattern.compile("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$");
  private static final String SES_SOURCE = "https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html";

  // Source: https://support.google.com/mail/answer/7126229 and
  // https://support.google.com/accounts/answer/185833 (app passwords)
  /** Gmail: {@code smtp.gmail.com}, port 587 with STARTTLS (465 with SSL/TLS also works). */
  public static final ProviderPreset GMAIL = ProviderPreset.builder("gmail")
      .displayName("Gmail")
      .smtp("smtp.gmail.com", 587, TlsMode.STARTTLS)
      .domains("gmail.com", "googlemail.com")
      .appPasswordRequired(true)
      .oauth2Supported(true)
      .authNotes("Use your full Gmail address as the username and an app password (needs 2-Step"
          + " Verification); your normal password is refused. OAuth2 (XOAUTH2, scope https://mail.google.com/)"
          + " also works. Port 465 with SSL/TLS works too.")
      .setupSteps(
          "Turn on 2-Step Verification in your Google Account security settings.",
          "Create an app-specific password (Google Account → Security → App passwords).",
          "Use this app-specific password instead of your regular Gmail password.",
          "Set the SMTP server to smtp.gmail.com and the port to 587 with TLS enabled.")
      .sourceUrl("https://support.google.com/mail/answer/7126229")
            // https://support.google.com/mail/answer/22839: a consumer account; Workspace: SendingLimits.GOOGLE_WORKSPACE
      .limits(SendingLimits.builder().recipientsPerDay(500).recipientsPerMessage(500)
          .source("https://support.google.com/mail/answer/22839").build())
      .build();

  // Source: https://support.google.com/a/answer/2956491
  /** Google Workspace SMTP relay: {@code smtp-relay.gmail.com}, port 587, set up by the domain admin. */
  public static final ProviderPreset GOOGLE_WORKSPACE_RELAY = ProviderPreset.builder("google-workspace-relay")
      .displayName("Google Workspace SMTP relay")
      .smtp("smtp-relay.gmail.com", 587, TlsMode.STARTTLS)
      .oauth2Supported(false)
      .authNotes("The Workspace administrator allows your IP address and/or SMTP authentication in the Admin"
          + " console (Apps → Google Workspace → Gmail → Routing → SMTP relay service). Ports 25, 465 and 587.")
      .setupSteps(
          "Ask your Google Workspace administrator to set up the SMTP relay service for your organisation.",
          "If the relay requires SMTP authentication, use your full Workspace address and an app password.",
          "Use smtp-relay.gmail.com, port 587 with STARTTLS.")
      .sourceUrl("https://support.google.com/a/answer/2956491")
            .limits(SendingLimits.builder().recipientsPerDay(10_000)
          .source("https://support.google.com/a/answer/166852").build())
      .build();

  // Source: https://help.yahoo.com/kb/SLN4075.html (server settings), https://help.yahoo.com/kb/SLN15241.html
  /** Yahoo Mail: {@code smtp.mail.yahoo.com}, port 465 with SSL/TLS (587 with STARTTLS also works). */
  public static final ProviderPreset YAHOO = ProviderPreset.builder("yahoo")
      .displayName("Yahoo Mail")
      .smtp("smtp.mail.yahoo.com", 465, TlsMode.IMPLICIT)
      .domains("yahoo.com", "yahoo.co.uk", "yahoo.co.in", "yahoo.co.jp", "yahoo.com.au", "yahoo.com.br",
          "yahoo.ca", "yahoo.de", "yahoo.es", "yahoo.fr", "yahoo.it", "yahoo.in", "yahoo.ie", "yahoo.com.mx",
          "yahoo.com.ar", "yahoo.com.sg", "yahoo.com.ph", "yahoo.gr", "yahoo.se", "ymail.com", "rocketmail.com")
      .appPasswordRequired(true)
      .oauth2Supported(true)
      .authNotes("Use an app password: Account security → Generate app password → \"Other app\". Your"
          + " normal Yahoo password is refused. Port 587 with STARTTLS works too.")
      .setupSteps(
          "Go to Yahoo Account Security (https://login.yahoo.com/account/security).",
          "Click \"Generate app password\" under \"Account security\".",
          "Select \"Other app\" and enter the name of your program as the app name.",
          "Click \"Generate\" to create your app password.",
          "Copy the generated password and paste it into the password field.",
          "Use smtp.mail.yahoo.com as the SMTP server and 587 or 465 as the port.")
      .sourceUrl("https://help.yahoo.com/kb/SLN4075.html")
      .build();

  // Source: https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission
  /** Microsoft 365 (Office 365, Exchange Online): {@code smtp.office365.com}, port 587 with STARTTLS. */
  public static final ProviderPreset OFFICE365 = ProviderPreset.builder("office365")
      .displayName("Microsoft 365 (Office 365)")
      .smtp("smtp.office365.com", 587, TlsMode.STARTTLS)
      .oauth2Supported(true)
      .authNotes("SMTP AUTH must be enabled for the mailbox by an administrator. Microsoft turns Basic"
          + " authentication (password) for SMTP off by default for existing tenants at the end of December"
          + " 2026 and it is unavailable for new tenants; use OAuth2 (XOAUTH2, scope"
          + " https://outlook.office.com/SMTP.Send).")
      .setupSteps(
          "Ask your Microsoft 365 administrator to enable Authenticated SMTP (SMTP AUTH) for your mailbox.",
          "Prefer OAuth2 sign-in; a password only works while Basic authentication is allowed for your tenant.",
          "Use smtp.office365.com, port 587 with STARTTLS, and your full email address as the username.")
      .sourceUrl("https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/"
          + "authenticated-client-smtp-submission")
            .limits(SendingLimits.builder().messagesPerMinute(30).recipientsPerDay(10_000).recipientsPerMessage(500)
          .source("https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-"
              + "description/exchange-online-limits#sending-limits").build())
      .build();

  // Source: https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040
  /** Outlook.com and Hotmail: {@code smtp-mail.outlook.com}, port 587 with STARTTLS, OAuth2 only. */
  public static final ProviderPreset OUTLOOK = ProviderPreset.builder("outlook")
      .displayName("Outlook.com / Hotmail")
      .smtp("smtp-mail.outlook.com", 587, TlsMode.STARTTLS)
      .domains("outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.fr",
          "hotmail.de", "hotmail.it", "hotmail.es", "live.co.uk", "outlook.fr", "outlook.de")
      .oauth2Supported(true)
      .passwordSupported(false)
      .authNotes("Only OAuth2 (XOAUTH2) sign-in works since Microsoft ended Basic authentication for"
          + " Outlook.com (September 2024); passwords and app passwords are refused.")
      .setupSteps(
          "Sign in with OAuth2 (XOAUTH2); passwords no longer work for Outlook.com.",
          "Use smtp-mail.outlook.com, port 587 with STARTTLS.")
      .sourceUrl("https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-"
          + "d088b986-291d-42b8-9564-9c414e2aa040")
      .build();

  // Source: https://support.apple.com/en-us/102525
  /** iCloud Mail: {@code smtp.mail.me.com}, port 587 with STARTTLS, app-specific password. */
  public static final ProviderPreset ICLOUD = ProviderPreset.builder("icloud")
      .displayName("iCloud Mail")
      .smtp("smtp.mail.me.com", 587, TlsMode.STARTTLS)
      .domains("icloud.com", "me.com", "mac.com")
      .appPasswordRequired(true)
      .authNotes("Use an app-specific password (needs two-factor authentication, created at"
          + " account.apple.com). The username is your full iCloud address.")
      .setupSteps(
          "Turn on two-factor authentication for your Apple Account.",
          "Create an app-specific password at account.apple.com → Sign-In and Security.",
          "Use smtp.mail.me.com, port 587 with STARTTLS.")
      .sourceUrl("https://support.apple.com/en-us/102525")
            .limits(SendingLimits.builder().messagesPerDay(1_000).recipientsPerDay(1_000).recipientsPerMessage(500)
          .source("https://support.apple.com/en-us/102198").build())
      .build();

  // Source: https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail
  /** AOL Mail: {@code smtp.aol.com}, port 465 with SSL/TLS, app password. */
  public static final ProviderPreset AOL = ProviderPreset.builder("aol")
      .displayName("AOL Mail")
      .smtp("smtp.aol.com", 465, TlsMode.IMPLICIT)
      .domains("aol.com", "aim.com", "aol.co.uk", "aol.de", "aol.fr", "aol.it", "aol.es", "love.com",
          "games.com", "wow.com")
      .appPasswordRequired(true)
      .oauth2Supported(true)
      .authNotes("Generate an app password in AOL Account Security and use it instead of your password.")
      .setupSteps(
          "Open AOL Account Security and choose \"Generate app password\".",
          "Use smtp.aol.com, port 465 with SSL/TLS, and your full AOL address as the username.")
      .sourceUrl("https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail")
      .build();

  // Source: https://www.zoho.com/mail/help/zoho-smtp.html
  /** Zoho Mail: {@code smtp.zoho.com}, port 465 with SSL/TLS. */
  public static final ProviderPreset ZOHO = ProviderPreset.builder("zoho")
      .displayName("Zoho Mail")
      .smtp("smtp.zoho.com", 465, TlsMode.IMPLICIT)
      .domains("zoho.com", "zohomail.com")
      .oauth2Supported(true)
      .authNotes("With two-factor authentication on, use an application-specific password. Accounts in the"
          + " EU data centre use smtp.zoho.eu (preset zoho-eu). Port 587 with STARTTLS also works.")
      .setupSteps(
          "If two-factor authentication is on, create an application-specific password in Zoho Accounts.",
          "Use smtp.zoho.com, port 465 with SSL/TLS (smtp.zoho.eu for EU accounts).")
      .sourceUrl("https://www.zoho.com/mail/help/zoho-smtp.html")
      .build();

  // Source: https://www.zoho.com/mail/help/zoho-smtp.html
  /** Zoho Mail, EU data centre: {@code smtp.zoho.eu}, port 465 with SSL/TLS. */
  public static final ProviderPreset ZOHO_EU = ProviderPreset.builder("zoho-eu")
      .displayName("Zoho Mail (EU)")
      .smtp("smtp.zoho.eu", 465, TlsMode.IMPLICIT)
      .domains("zoho.eu", "zohomail.eu")
      .oauth2Supported(true)
      .authNotes("With two-factor authentication on, use an application-specific password.")
      .setupSteps("Use smtp.zoho.eu, port 465 with SSL/TLS.")
      .sourceUrl("https://www.zoho.com/mail/help/zoho-smtp.html")
      .build();

  // Source: https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports
  /** Fastmail: {@code smtp.fastmail.com}, port 465 with SSL/TLS, app password. */
  public static final ProviderPreset FASTMAIL = ProviderPreset.builder("fastmail")
      .displayName("Fastmail")
      .smtp("smtp.fastmail.com", 465, TlsMode.IMPLICIT)
      .domains("fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.us", "fastmail.co.uk",
          "messagingengine.com", "sent.com")
      .appPasswordRequired(true)
      .authNotes("Create an app password (Settings → Privacy & Security → Integrations → App passwords)"
          + " with SMTP access. Port 587 with STARTTLS also works.")
      .setupSteps(
          "Create an app password with SMTP access in Fastmail's settings.",
          "Use smtp.fastmail.com, port 465 with SSL/TLS.")
      .sourceUrl("https://www.fastmail.help/hc/en-us/articles/1500000278342-Server-names-and-ports")
      .build();

  // Source: https://support.gmx.com/pop-imap/imap/server.html
  /** GMX (international): {@code mail.gmx.com}, port 587 with STARTTLS. */
  public static final ProviderPreset GMX = ProviderPreset.builder("gmx")
      .displayName("GMX")
      .smtp("mail.gmx.com", 587, TlsMode.STARTTLS)
      .domains("gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr", "gmx.es", "gmx.it")
      .authNotes("Enable POP3/IMAP access in the GMX settings first; the username is your full address."
          + " German GMX accounts (gmx.de, gmx.net) use mail.gmx.net (preset gmx-de).")
      .setupSteps(
          "In GMX, open Settings → POP3 & IMAP and allow access through external programs.",
          "Use mail.gmx.com, port 587 with STARTTLS.")
      .sourceUrl("https://support.gmx.com/pop-imap/imap/server.html")
      .build();

  // Source: https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html
  /** GMX Germany, Austria, Switzerland: {@code mail.gmx.net}, port 587 with STARTTLS. */
  public static final ProviderPreset GMX_DE = ProviderPreset.builder("gmx-de")
      .displayName("GMX (gmx.de, gmx.net)")
      .smtp("mail.gmx.net", 587, TlsMode.STARTTLS)
      .domains("gmx.de", "gmx.net", "gmx.at", "gmx.ch")
      .authNotes("Enable POP3/IMAP access in the GMX settings first; the username is your full address.")
      .setupSteps("In GMX, allow access through external programs (POP3 & IMAP).",
          "Use mail.gmx.net, port 587 with STARTTLS.")
      .sourceUrl("https://hilfe.gmx.net/pop-imap/imap/imap-serverdaten.html")
      .build();

  // Source: https://yandex.com/support/yandex-360/customers/mail/en/mail-clients/others
  /** Yandex Mail: {@code smtp.yandex.com}, port 465 with SSL/TLS, app password. */
  public static final ProviderPreset YANDEX = ProviderPreset.builder("yandex")
      .displayName("Yandex Mail")
      .smtp("smtp.yandex.com", 465, TlsMode.IMPLICIT)
      .domains("yandex.com", "yandex.ru", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua", "yandex.com.tr")
      .appPasswordRequired(true)
      .oauth2Supported(true)
      .authNotes("Allow mail clients in the Yandex Mail settings and use an app password.")
      .setupSteps("Allow access by mail clients in Yandex Mail settings and create an app password.",
          "Use smtp.yandex.com, port 465 with SSL/TLS.")
      .sourceUrl("https://yandex.com/support/yandex-360/customers/mail/en/mail-clients/others")
      .build();

  // Source: https://help.mail.ru/mail/mailer/popsmtp
  /** Mail.ru: {@code smtp.mail.ru}, port 465 with SSL/TLS, app password. */
  public static final ProviderPreset MAIL_RU = ProviderPreset.builder("mail-ru")
      .displayName("Mail.ru")
      .smtp("smtp.mail.ru", 465, TlsMode.IMPLICIT)
      .domains("mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru")
      .appPasswordRequired(true)
      .authNotes("Create a password for external applications in the Mail.ru security settings.")
      .setupSteps("Create a password for external applications (Security → Passwords for external apps).",
          "Use smtp.mail.ru, port 465 with SSL/TLS.")
      .sourceUrl("https://help.mail.ru/mail/mailer/popsmtp")
      .build();

  // Source: https://proton.me/support/protonmail-bridge-clients and https://github.com/ProtonMail/proton-bridge
  /** Proton Mail Bridge on this computer: {@code 127.0.0.1}, port 1025 with STARTTLS. */
  public static final ProviderPreset PROTON_BRIDGE = ProviderPreset.builder("proton-bridge")
      .displayName("Proton Mail Bridge")
      .smtp("127.0.0.1", 1025, TlsMode.STARTTLS)
      .domains("proton.me", "pm.me", "protonmail.com", "protonmail.ch")
      .authNotes("Proton Mail Bridge (paid plans) runs on this computer and shows its own SMTP username and"
          + " password; your Proton password does not work. Bridge uses a self-signed certificate: export it"
          + " from Bridge into the Java trust store, or tick \"Do not verify TLS certificate\" (acceptable here"
          + " only because Bridge listens on this computer).")
      .setupSteps(
          "Install and sign in to Proton Mail Bridge on the computer that sends the mail.",
          "Copy the SMTP username and password that Bridge shows for your address.",
          "Use 127.0.0.1, port 1025 with STARTTLS.")
      .sourceUrl("https://proton.me/support/protonmail-bridge-clients")
      .build();

  // Source: https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html
  /** Amazon SES in us-east-1: {@code email-smtp.us-east-1.amazonaws.com}, port 587; see {@link #amazonSes(String)}. */
  public static final ProviderPreset AMAZON_SES = amazonSes("us-east-1");

  // Source: https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api
  /** SendGrid: {@code smtp.sendgrid.net}, port 587; the username is {@code apikey}, the password an API key. */
  public static final ProviderPreset SENDGRID = ProviderPreset.builder("sendgrid")
      .displayName("SendGrid")
      .smtp("smtp.sendgrid.net", 587, TlsMode.STARTTLS)
      .authNotes("The username is the word apikey and the password is a SendGrid API key with Mail Send"
          + " permission. The sender address must be a verified sender.")
      .setupSteps("Create an API key with Mail Send permission.",
          "Use smtp.sendgrid.net, port 587, username apikey and the API key as the password.")
      .sourceUrl("https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api")
      .build();

  // Source: https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp
  /** Mailgun (US region): {@code smtp.mailgun.org}, port 587. */
  public static final ProviderPreset MAILGUN = ProviderPreset.builder("mailgun")
      .displayName("Mailgun")
      .smtp("smtp.mailgun.org", 587, TlsMode.STARTTLS)
      .authNotes("Use the SMTP credentials of your sending domain (Sending → Domain settings → SMTP"
          + " credentials). Domains in the EU region use smtp.eu.mailgun.org (preset mailgun-eu).")
      .setupSteps("Create SMTP credentials for your sending domain in Mailgun.",
          "Use smtp.mailgun.org, port 587 with STARTTLS.")
      .sourceUrl("https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp")
      .build();

  // Source: https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp
  /** Mailgun (EU region): {@code smtp.eu.mailgun.org}, port 587. */
  public static final ProviderPreset MAILGUN_EU = ProviderPreset.builder("mailgun-eu")
      .displayName("Mailgun (EU)")
      .smtp("smtp.eu.mailgun.org", 587, TlsMode.STARTTLS)
      .authNotes("Use the SMTP credentials of your sending domain.")
      .setupSteps("Use smtp.eu.mailgun.org, port 587 with STARTTLS.")
      .sourceUrl("https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp")
      .build();

  // Source: https://postmarkapp.com/support/article/811-what-are-the-smtp-details-api-tokens-i-should-be-using
  /** Postmark: {@code smtp.postmarkapp.com}, port 587; the server token is username and password. */
  public static final ProviderPreset POSTMARK = ProviderPreset.builder("postmark")
      .displayName("Postmark")
      .smtp("smtp.postmarkapp.com", 587, TlsMode.STARTTLS)
      .authNotes("Use the Server API token as both username and password. Postmark offers ports 25, 587"
          + " and 2525 with STARTTLS, not 465.")
      .setupSteps("Copy the Server API token from your Postmark server's API Tokens tab.",
          "Use smtp.postmarkapp.com, port 587, and the token as username and password.")
      .sourceUrl("https://postmarkapp.com/support/article/811-what-are-the-smtp-details-api-tokens-i-should-be-using")
      .build();

  // Source: https://help.brevo.com/hc/en-us/articles/7924908994450-Send-transactional-emails-using-Brevo-SMTP
  /** Brevo (formerly Sendinblue): {@code smtp-relay.brevo.com}, port 587. */
  public static final ProviderPreset BREVO = ProviderPreset.builder("brevo")
      .displayName("Brevo")
      .smtp("smtp-relay.brevo.com", 587, TlsMode.STARTTLS)
      .authNotes("Use the SMTP login and an SMTP key from Brevo (SMTP & API → SMTP), not your account"
          + " password.")
      .setupSteps("Generate an SMTP key in Brevo (SMTP & API → SMTP).",
          "Use smtp-relay.brevo.com, port 587, your SMTP login and the key as password.")
      .sourceUrl("https://help.brevo.com/hc/en-us/articles/7924908994450-Send-transactional-emails-using-Brevo-SMTP")
      .build();

  // Source: https://documentation.mailjet.com/hc/en-us/articles/360043229473-How-can-I-configure-my-SMTP-parameters
  /** Mailjet: {@code in-v3.mailjet.com}, port 587; API key and secret key as username and password. */
  public static final ProviderPreset MAILJET = ProviderPreset.builder("mailjet")
      .displayName("Mailjet")
      .smtp("in-v3.mailjet.com", 587, TlsMode.STARTTLS)
      .authNotes("The username is your API key and the password your secret key.")
      .setupSteps("Find your API key and secret key in Mailjet's account settings.",
          "Use in-v3.mailjet.com, port 587, the API key as username and the secret key as password.")
      .sourceUrl("https://documentation.mailjet.com/hc/en-us/articles/360043229473-How-can-I-configure-my-SMTP-parameters")
      .build();

  private static final List<String> SES_REGIONS = List.of(
      "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1",
      "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "ap-south-1", "ap-southeast-1",
      "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "af-south-1", "me-south-1",
      "il-central-1", "us-gov-west-1");

  private static final List<ProviderPreset> BUILT_IN = builtIn();
  private static volatile Map<String, ProviderPreset> all;

  private Presets() {}

  /**
   * Returns the Amazon SES preset of a region: {@code email-smtp.<region>.amazonaws.com}, port 587 with
   * STARTTLS, id {@code amazon-ses-<region>}.
   *
   * @param region an AWS region such as {@code eu-west-1}
   * @return the preset
   * @throws IllegalArgumentException if {@code region} does not look like an AWS region
   */
  public static ProviderPreset amazonSes(String region) {
    Objects.requireNonNull(region, "region");
    if (!SES_REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("not an AWS region such as eu-west-1: \"" + region + "\"");
    }
    return ProviderPreset.builder("amazon-ses-" + region)
        .displayName("Amazon SES (" + region + ")")
        .smtp("email-smtp." + region + ".amazonaws.com", 587, TlsMode.STARTTLS)
        .authNotes("Use SMTP credentials created in the SES console for this region (not your AWS access"
            + " keys). STARTTLS on 25, 587 or 2587; TLS on 465 or 2465.")
        .setupSteps("Verify your sender address or domain in the SES console of this region.",
            "Create SMTP credentials (SES → SMTP settings → Create SMTP credentials).",
            "Use email-smtp." + region + ".amazonaws.com, port 587 with STARTTLS.")
        .sourceUrl(SES_SOURCE)
        // the sending quota and rate differ per account (see the SES console); 50 recipients per message for all
        .limits(SendingLimits.builder().recipientsPerMessage(50)
            .source("https://docs.aws.amazon.com/ses/latest/dg/quotas.html").build())
        .build();
  }

  /**
   * Returns every preset: the built-in ones (with Amazon SES for each common region), then those of
   * plugins.
   *
   * @return the presets
   */
  public static List<ProviderPreset> all() {
    return List.copyOf(registry().values());
  }

  /**
   * Finds a preset by id, e.g. {@code gmail}, {@code office365} or {@code amazon-ses-eu-west-1}.
   *
   * @param id the id, any case
   * @return the preset, or empty
   */
  public static Optional<ProviderPreset> byId(String id) {
    Objects.requireNonNull(id, "id");
    String key = id.strip().toLowerCase(Locale.ROOT);
    ProviderPreset p = registry().get(key);
    if (p == null && key.startsWith("amazon-ses-") && SES_REGION.matcher(key.substring(11)).matches()) {
      p = amazonSes(key.substring(11));
    }
    return Optional.ofNullable(p);
  }

  /**
   * Finds the preset that serves the domain of an email address, e.g. {@code someone@googlemail.com} gives
   * Gmail. Built-in presets win over plugins for the same domain.
   *
   * @param emailAddress an email address (or just a domain)
   * @return the preset, or empty when the domain is not a known provider's (a company domain hosted by
   *     Google or Microsoft is not recognized here; the diagnostics look at its MX records)
   */
  public static Optional<ProviderPreset> forEmailAddress(String emailAddress) {
    Objects.requireNonNull(emailAddress, "emailAddress");
    String s = emailAddress.strip();
    if (s.endsWith(">") && s.lastIndexOf('<') >= 0) {
      s = s.substring(s.lastIndexOf('<') + 1, s.length() - 1);
    }
    String domain = s.substring(s.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    return registry().values().stream().filter(p -> p.servesDomain(domain)).findFirst();
  }

  /**
   * Finds the preset whose SMTP server is {@code host}, e.g. {@code smtp.gmail.com} gives Gmail.
   *
   * @param host a server name, any case
   * @return the preset, or empty
   */
  public static Optional<ProviderPreset> forHost(String host) {
    Objects.requireNonNull(host, "host");
    String h = host.strip().toLowerCase(Locale.ROOT);
    Optional<ProviderPreset> p = registry().values().stream().filter(x -> x.host().equals(h)).findFirst();
    if (p.isEmpty() && h.startsWith("email-smtp.") && h.endsWith(".amazonaws.com")) {
      String region = h.substring(11, h.length() - 14);
      if (SES_REGION.matcher(region).matches()) {
        return Optional.of(amazonSes(region));
      }
    }
    return p;
  }

  static boolean isBuiltIn(ProviderPreset preset) {
    return BUILT_IN.contains(preset);
  }

  private static Map<String, ProviderPreset> registry() {
    Map<String, ProviderPreset> r = all;
    if (r == null) {
      synchronized (Presets.class) {
        r = all;
        if (r == null) {
          r = load();
          all = r;
        }
      }
    }
    return r;
  }

  private static Map<String, ProviderPreset> load() {
    Map<String, ProviderPreset> r = new LinkedHashMap<>();
    for (ProviderPreset p : BUILT_IN) {
      r.put(p.id(), p);
    }
    for (PresetProvider provider : Services.load(PresetProvider.class)) {
      List<ProviderPreset> presets;
      try {
        presets = provider.presets();
      } catch (RuntimeException e) {
        LOG.warn("Skipping preset provider {}: it failed: {}", provider.getClass().getName(), e.toString());
        continue;
      }
      for (ProviderPreset p : presets == null ? List.<ProviderPreset>of() : presets) {
        if (p == null) {
          continue;
        }
        if (r.containsKey(p.id())) {
          LOG.warn("Skipping preset {} from {}: the id is already taken", p.id(), provider.getClass().getName());
        } else {
          r.put(p.id(), p);
        }
      }
    }
    return java.util.Collections.unmodifiableMap(r);
  }

  private static List<ProviderPreset> builtIn() {
    List<ProviderPreset> list = new ArrayList<>(List.of(GMAIL, GOOGLE_WORKSPACE_RELAY, YAHOO, OFFICE365, OUTLOOK,
        ICLOUD, AOL, ZOHO, ZOHO_EU, FASTMAIL, GMX, GMX_DE, YANDEX, MAIL_RU, PROTON_BRIDGE));
    for (String region : SES_REGIONS) {
      list.add(amazonSes(region));
    }
    list.addAll(List.of(SENDGRID, MAILGUN, MAILGUN_EU, POSTMARK, BREVO, MAILJET));
    return List.copyOf(list);
  }
}
