package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.spi.HostingPresetProvider;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PresetsTest {

  static Stream<Arguments> builtIns() {
    return Stream.of(
        Arguments.of(Presets.GMAIL, "gmail", "smtp.gmail.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.GOOGLE_WORKSPACE_RELAY, "google-workspace-relay", "smtp-relay.gmail.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.YAHOO, "yahoo", "smtp.mail.yahoo.com", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.OFFICE365, "office365", "smtp.office365.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.OUTLOOK, "outlook", "smtp-mail.outlook.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.ICLOUD, "icloud", "smtp.mail.me.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.AOL, "aol", "smtp.aol.com", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.ZOHO, "zoho", "smtp.zoho.com", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.ZOHO_EU, "zoho-eu", "smtp.zoho.eu", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.FASTMAIL, "fastmail", "smtp.fastmail.com", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.GMX, "gmx", "mail.gmx.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.GMX_DE, "gmx-de", "mail.gmx.net", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.YANDEX, "yandex", "smtp.yandex.com", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.MAIL_RU, "mail-ru", "smtp.mail.ru", 465, TlsMode.IMPLICIT),
        Arguments.of(Presets.PROTON_BRIDGE, "proton-bridge", "127.0.0.1", 1025, TlsMode.STARTTLS),
        Arguments.of(Presets.AMAZON_SES, "amazon-ses-us-east-1", "email-smtp.us-east-1.amazonaws.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.SENDGRID, "sendgrid", "smtp.sendgrid.net", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.MAILGUN, "mailgun", "smtp.mailgun.org", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.MAILGUN_EU, "mailgun-eu", "smtp.eu.mailgun.org", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.POSTMARK, "postmark", "smtp.postmarkapp.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.BREVO, "brevo", "smtp-relay.brevo.com", 587, TlsMode.STARTTLS),
        Arguments.of(Presets.MAILJET, "mailjet", "in-v3.mailjet.com", 587, TlsMode.STARTTLS));
  }

  @ParameterizedTest
  @MethodSource("builtIns")
  void everyBuiltInPresetIsCompleteAndFindable(ProviderPreset p, String id, String host, int port, TlsMode tls) {
    assertThat(p.id()).isEqualTo(id);
    assertThat(p.host()).isEqualTo(host);
    assertThat(p.port()).isEqualTo(port);
    assertThat(p.tlsMode()).isEqualTo(tls);
    assertThat(p.displayName()).isNotBlank();
    assertThat(p.authNotes()).isNotBlank();
    assertThat(p.setupSteps()).isNotEmpty();
    assertThat(p.sourceUrl()).startsWith("https://");
    assertThat(Presets.byId(id)).contains(p);
    assertThat(Presets.byId(id.toUpperCase(Locale.ROOT))).contains(p);
    assertThat(Presets.forHost(host)).contains(p);
    for (String domain : p.domains()) {
      assertThat(Presets.forEmailAddress("someone@" + domain)).contains(p);
    }
    // every preset makes valid settings
    EmailSettings s = EmailSettings.builder().preset(p).username("user@" + (p.domains().isEmpty()
        ? "acme.example" : p.domains().get(0))).password("x").build();
    assertThat(s.host()).contains(host);
    assertThat(s.tlsMode()).isEqualTo(tls);
  }

  @Test
  void findsByEmailDomain() {
    assertThat(Presets.forEmailAddress("someone@googlemail.com")).contains(Presets.GMAIL);
    assertThat(Presets.forEmailAddress("Someone <someone@GMAIL.com>")).contains(Presets.GMAIL);
    assertThat(Presets.forEmailAddress("x@ymail.com")).contains(Presets.YAHOO);
    assertThat(Presets.forEmailAddress("x@hotmail.com")).contains(Presets.OUTLOOK);
    assertThat(Presets.forEmailAddress("x@pm.me")).contains(Presets.PROTON_BRIDGE);
    assertThat(Presets.forEmailAddress("x@acme.example")).isEmpty();
  }

  @Test
  void amazonSesPerRegion() {
    ProviderPreset eu = Presets.byId("amazon-ses-eu-west-1").orElseThrow();
    assertThat(eu.host()).isEqualTo("email-smtp.eu-west-1.amazonaws.com");
    assertThat(Presets.amazonSes("ap-southeast-3").host()).isEqualTo("email-smtp.ap-southeast-3.amazonaws.com");
    assertThat(Presets.byId("amazon-ses-ap-southeast-3")).isPresent();
    assertThat(Presets.forHost("email-smtp.ap-southeast-3.amazonaws.com")).isPresent();
    assertThatThrownBy(() -> Presets.amazonSes("moon")).hasMessage("not an AWS region such as eu-west-1: \"moon\"");
  }

  @Test
  void outlookIsOauth2OnlyAndGmailNeedsAnAppPassword() {
    assertThat(Presets.OUTLOOK.passwordSupported()).isFalse();
    assertThat(Presets.OUTLOOK.oauth2Supported()).isTrue();
    assertThat(Presets.GMAIL.appPasswordRequired()).isTrue();
    assertThat(Presets.YAHOO.appPasswordRequired()).isTrue();
    assertThat(Presets.OFFICE365.authNotes()).contains("December 2026");
  }

  @Test
  void setupStepsInTheFormsLanguages() {
    List<String> bn = Presets.GMAIL.setupSteps(new Locale("bn"));
    assertThat(bn).hasSize(4);
    assertThat(bn.get(0)).isEqualTo("আপনার গুগল হিসাবের সেটিংস-এ ২-ধাপের যাচাইকরণ চালু করুন");
    List<String> sw = Presets.YAHOO.setupSteps(new Locale("sw"));
    assertThat(sw).hasSize(6);
    assertThat(sw.get(2)).isEqualTo("Chagua 'Nyingine app' na ingiza jina la programu yako kama jina la app");
    assertThat(Presets.GMAIL.setupSteps(Locale.FRENCH)).isEqualTo(Presets.GMAIL.setupSteps(Locale.ENGLISH));
    assertThat(Presets.GMAIL.setupSteps(Locale.ENGLISH).get(3))
        .isEqualTo("Set the SMTP server to smtp.gmail.com and the port to 587 with TLS enabled.");
    assertThat(Presets.ICLOUD.setupSteps(new Locale("bn"))).isEqualTo(Presets.ICLOUD.setupSteps());
  }

  @Test
  void pluginPresetsAreFoundByIdAndDomainAndCannotReplaceBuiltIns() {
    assertThat(Presets.byId("example-hosting")).contains(HostingPresetProvider.HOSTING);
    assertThat(Presets.forEmailAddress("owner@customer-domain.example")).contains(HostingPresetProvider.HOSTING);
    assertThat(Presets.forHost("mail.hosting.example")).contains(HostingPresetProvider.HOSTING);
    assertThat(Presets.all()).contains(HostingPresetProvider.HOSTING, Presets.GMAIL);
    assertThat(Presets.byId("gmail")).contains(Presets.GMAIL);
    assertThat(Presets.all().stream().filter(p -> p.id().equals("gmail"))).hasSize(1);
  }

  @Test
  void presetBuilderValidates() {
    assertThatThrownBy(() -> ProviderPreset.builder("Bad Id").smtp("x.example", 25, TlsMode.STARTTLS).build())
        .hasMessage("preset id must be lower-case letters, digits and '-': \"Bad Id\"");
    assertThatThrownBy(() -> ProviderPreset.builder("x").smtp("smtp://x.example", 25, TlsMode.STARTTLS).build())
        .hasMessage("preset host must be a server name without a scheme: remove \"smtp://\" from \"smtp://x.example\"");
    assertThatThrownBy(() -> ProviderPreset.builder("x").build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("preset x needs smtp(host, port, tlsMode)");
  }
}
