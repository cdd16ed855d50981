package dev.mailroom.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.MailerOptions;
import dev.mailroom.Protocol;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDialectsTest {
  private static EmailSettings.Builder http(String url) {
    return EmailSettings.builder().protocol(Protocol.HTTP).httpServer(url).replyTo("billing@acme.example");
  }

  @Test
  void knowsTheBuiltInDialectsAndThePlugin() {
    // acme-api is the test plugin (META-INF/services in the test resources); its duplicate "form" is skipped
    assertThat(HttpDialects.ids()).containsExactly("acme-api", "brevo", "form", "gmail", "graph", "mailgun", "postmark", "resend",
        "sendgrid", "ses");
    assertThat(HttpDialects.byId("form").orElseThrow()).isNotInstanceOf(DuplicateFormDialect.class);
    assertThat(HttpDialects.byId("postmark")).map(HttpDialect::id).hasValue("postmark");
    assertThat(HttpDialects.byId("nope")).isEmpty();
    assertThat(HttpDialects.all()).extracting(HttpDialect::id).startsWith("form");
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.sendgrid.com, sendgrid",
      "https://api.eu.sendgrid.com/v3/mail/send, sendgrid",
      "https://api.mailgun.net, mailgun",
      "https://API.EU.MAILGUN.NET/, mailgun",
      "https://api.postmarkapp.com, postmark",
      "https://api.resend.com/emails, resend",
      "https://api.brevo.com, brevo",
      "https://email.example.com/send, form",
      "https://sendgrid.com.evil.example, form",
      "http://localhost:8080/, form",
      "https://api.acme.example/, acme-api"})
  void infersTheDialectFromTheHost(String url, String id) {
    assertThat(HttpDialects.forServer(URI.create(url)).id()).isEqualTo(id);
    assertThat(HttpDialects.forSettings(http(url).apiKey("k").build()).id()).isEqualTo(id);
  }

  @Test
  void anExplicitDialectBeatsTheHost() {
    assertThat(HttpDialects.forSettings(http("https://api.sendgrid.com").httpDialect("form").build()).id())
        .isEqualTo("form");
  }

  @Test
  void anUnknownDialectIsAClearError() {
    EmailSettings s = http("https://mail.example.com").httpDialect("sparkpost").build();
    String expected = "Unknown HTTP dialect \"sparkpost\" in httpDialect. Known dialects: acme-api, brevo, form,"
        + " gmail, graph, mailgun, postmark, resend, sendgrid, ses. Add the module that provides it, or choose one of these.";
    assertThatThrownBy(() -> HttpDialects.forSettings(s)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> Mailer.open(s)).isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
  }

  @Test
  void apiDialectsNeedAnApiKey() {
    for (String id : List.of("sendgrid", "mailgun", "postmark", "resend", "brevo")) {
      EmailSettings s = http("https://mail.example.com").httpDialect(id).build();
      assertThatThrownBy(() -> Mailer.open(s)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("The " + id + " HTTP dialect needs an API key: set apiKey in the email"
              + " settings to the API key of your ");
    }
  }

  @Test
  void theFormDialectNeedsNoKey() {
    try (Mailer m = Mailer.open(http("https://mail.example.com/send").build())) {
      assertThat(m.settings().httpDialect()).isEmpty();
    }
  }

  @Test
  void refusesSmtpSettings() {
    EmailSettings smtp = EmailSettings.builder().protocol(Protocol.SMTP).host("smtp.example.com").port(587)
        .emailAddress("billing@acme.example").build();
    assertThatThrownBy(() -> new HttpSenderProvider().open(smtp, MailerOptions.ofDefaults().senderContext()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the HTTP sender needs settings with protocol HTTP, not SMTP");
  }

  @Test
  void theProviderIsFoundByServiceLoader() {
    assertThat(java.util.ServiceLoader.load(dev.mailroom.spi.SenderProvider.class).stream()
        .map(p -> p.type().getName())).contains(HttpSenderProvider.class.getName());
  }
}
