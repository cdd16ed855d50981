package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.GmailApiInvoice;
import com.acme.billing.GraphInvoice;
import com.acme.billing.SesInvoice;
import dev.mailroom.Email;
import dev.mailroom.EmailSettings;
import dev.mailroom.Mailer;
import dev.mailroom.http.HttpDialects;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's Graph, Gmail API and SES snippets: their settings pick the right dialect from the host and
 * show no secret; the Gmail one gets a real token from the test kit's fake, and the SES one sends through the
 * test kit's SES fake (same settings, the fake's address and credentials).
 */
class ProviderApiSnippetsRunTest {
  @StartStop
  static MailroomHttpServer ses = MailroomHttpServer.builder().dialect("ses").build();

  @Test
  void theGraphSnippetSpeaksGraphWithARenewingToken() {
    EmailSettings s = GraphInvoice.settings("client-id", "canary-client-secret");
    assertThat(HttpDialects.forSettings(s).id()).isEqualTo("graph");
    assertThat(s.oauth2()).isPresent();
    assertThat(s.toString()).doesNotContain("canary-client-secret");
  }

  @Test
  void theGmailSnippetGetsAToken(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("service-account.json"), ses.serviceAccountKey().reveal(),
        StandardCharsets.UTF_8);
    EmailSettings s = GmailApiInvoice.settings(key);
    assertThat(HttpDialects.forSettings(s).id()).isEqualTo("gmail");
    assertThat(ses.isValidAccessToken(s.oauth2().orElseThrow().accessToken())).isTrue();
  }

  @Test
  void theSesSnippetSendsThroughTheFake() throws Exception {
    String[] key = ses.apiKey().orElseThrow().reveal().split(":", 2);
    EmailSettings s = SesInvoice.settings(key[0], key[1]);
    assertThat(HttpDialects.forSettings(s).id()).isEqualTo("ses");
    assertThat(s.toString()).doesNotContain(key[1]);
    try (Mailer mailer = Mailer.open(s.toBuilder().httpDialect("ses")
        .httpServer(ses.settings().httpServer().orElseThrow().toString())
        .build())) {
      mailer.send(Email.builder().to("jane@customer.test").subject("Invoice INV-1").text("Attached.").build());
    }
    assertThat(ses.awaitOne(Duration.ofSeconds(10)).subject()).isEqualTo("Invoice INV-1");
  }
}
