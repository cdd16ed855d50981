package dev.mailroom.snippets;

import static dev.mailroom.testkit.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.acme.billing.FailureReport;
import com.acme.billing.GmailInvoice;
import com.acme.billing.HttpSettings;
import com.acme.billing.InvoiceService;
import com.acme.billing.SettingsSources;
import com.acme.billing.TestEmailSettingsButton;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.Protocol;
import dev.mailroom.SendException;
import dev.mailroom.TlsMode;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.MailroomSmtpServer;
import dev.mailroom.testkit.ProviderPersona;
import dev.mailroom.testkit.junit.StartStop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's snippets that are not tests themselves, against the test kit's local servers. */
class SnippetsRunTest {
  @StartStop
  static MailroomSmtpServer smtp = MailroomSmtpServer.create();

  @Test
  void theGmailExampleSendsTheInvoiceFileWithTheCopy(@TempDir Path dir) throws IOException {
    Path pdf = Files.write(dir.resolve("INV-1.pdf"), "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    boolean sent = GmailInvoice.send(smtp.settingsBuilder().copyTo("archive@acme.test").build(), pdf, Locale.ENGLISH);

    assertThat(sent).isTrue();
    assertThat(smtp.awaitOne(Duration.ofSeconds(5))).hasSubject("Invoice INV-1").sentTo("jane@customer.example")
        .copiedTo("archive@acme.test").hasAttachment("INV-1.pdf", "application/pdf");
  }

  @Test
  void theSettingsExamplesBuildAndRoundTrip(@TempDir Path dir) throws IOException {
    EmailSettings form = SettingsSources.fromForm("smtp.acme.example", 587, "billing", "s3cret", "billing@acme.example",
        "archive@acme.example", "", false);
    assertThat(form.tlsMode()).isEqualTo(TlsMode.STARTTLS);
    assertThat(form.replyTo()).isEmpty();

    EmailSettings url = SettingsSources.fromUrl("s3cret");
    assertThat(url.host()).contains("smtp.gmail.com");
    assertThat(url.fromAddress()).isEqualTo("billing@acme.example");
    assertThat(url.senderName()).contains("Acme Ltd");

    Properties saved = SettingsSources.save(form);
    assertThat(saved.toString()).doesNotContain("s3cret");
    Path file = dir.resolve("mail.properties");
    StringBuilder text = new StringBuilder();
    saved.forEach((k, v) -> text.append("mail.").append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text + "mail.password=s3cret\n");
    assertThat(SettingsSources.fromFile(file)).isEqualTo(form);
  }

  @Test
  void theHttpExamplesBuild() {
    assertThat(HttpSettings.formService().protocol()).isEqualTo(Protocol.HTTP);
    EmailSettings sendGrid = HttpSettings.sendGrid("SG.canary");
    assertThat(sendGrid.apiKey()).isPresent();
    assertThat(sendGrid.httpServer().orElseThrow().getHost()).isEqualTo("api.sendgrid.com");
    assertThat(sendGrid.toString()).doesNotContain("SG.canary");
  }

  @Test
  void theFailureExampleDescribesAGmailLoginFailure() {
    try (FaultySmtpServer gmail = FaultySmtpServer.builder().persona(ProviderPersona.GMAIL_BAD_CREDENTIALS).build()
        .start(); Mailer mailer = Mailer.open(gmail.settings())) {
      SendException e = catchThrowableOfType(SendException.class,
          () -> new InvoiceService(mailer).email("INV-1", "jane@customer.test", new byte[] {1}));

      assertThat(FailureReport.describe(e, Locale.ENGLISH)).contains("AUTHENTICATION", "will not help", "535",
          "app password");
    }
  }

  @Test
  void theTestButtonExamplePassesAndExplainsAWrongPassword() {
    TestEmailSettingsButton.Outcome ok = TestEmailSettingsButton.test(smtp.settings(), "me@acme.test", Locale.ENGLISH);
    assertThat(ok.suggestedFix()).isEmpty();
    assertThat(ok.message()).contains("Sign in (AUTH)");
    assertThat(smtp.awaitOne(Duration.ofSeconds(5))).sentTo("me@acme.test");

    TestEmailSettingsButton.Outcome wrong = TestEmailSettingsButton.test(
        smtp.settingsBuilder().password("wrong").build(), "me@acme.test", Locale.forLanguageTag("sw"));
    assertThat(wrong.message()).isNotBlank().doesNotContain("wrong");
  }
}
