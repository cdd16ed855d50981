package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.testing.Canary;
import dev.mailroom.testing.LogCapture;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No password, token or API key in reports, transcripts, JSON, failures or logs of the diagnostics. */
class SecretsTest {
  @RegisterExtension
  static MailroomSmtpServer smtp = MailroomSmtpServer.builder().user("billing@acme.test", Canary.PASSWORD).build();

  @RegisterExtension
  static MailroomHttpServer api = MailroomHttpServer.builder().dialect("postmark").apiKey(Canary.API_KEY).build();

  static final DiagnosticOptions OPTIONS = DiagnosticOptions.builder().mxLookup(false).transcript(true)
      .testRecipient("me@acme.test").build();

  static String everything(DiagnosticReport r) {
    StringBuilder b = new StringBuilder(r.toString()).append(r.toText(Locale.ENGLISH))
        .append(r.toText(Locale.forLanguageTag("bn"))).append(r.toJson()).append(r.transcript());
    r.failure().ifPresent(f -> b.append(f).append(f.message()).append(f.hint(Locale.ENGLISH))
        .append(f.serverReply().orElse("")));
    r.steps().forEach(s -> b.append(s).append(s.detail()));
    r.warnings().forEach(w -> b.append(w));
    return b.toString();
  }

  @Test
  void passwordsNeverAppearWhenTheLoginWorksOrFails() {
    try (LogCapture logs = LogCapture.start()) {
      DiagnosticReport ok = ConnectionDiagnostics.run(smtp.settings(), OPTIONS);
      assertThat(ok.ok()).as(ok.toText()).isTrue();
      assertThat(ok.transcript()).contains("-> AUTH PLAIN ******");

      EmailSettings wrongUser = smtp.settingsBuilder().username("nobody@acme.test").build();
      DiagnosticReport failed = ConnectionDiagnostics.run(wrongUser, OPTIONS);
      assertThat(failed.ok()).isFalse();

      Canary.assertNoCanary(everything(ok) + everything(failed) + logs.text());
    }
  }

  @Test
  void oauthTokensNeverAppear() {
    try (LogCapture logs = LogCapture.start()) {
      EmailSettings settings = smtp.settingsBuilder().password((Secret) null).oauth2(() -> Secret.of(Canary.TOKEN))
          .build();
      DiagnosticReport r = ConnectionDiagnostics.run(settings, OPTIONS);

      assertThat(r.transcript()).contains("-> AUTH XOAUTH2 ******");
      Canary.assertNoCanary(everything(r) + logs.text());
    }
  }

  @Test
  void apiKeysNeverAppear() {
    try (LogCapture logs = LogCapture.start()) {
      DiagnosticReport ok = ConnectionDiagnostics.run(api.settings(), OPTIONS);
      assertThat(ok.ok()).as(ok.toText()).isTrue();
      assertThat(ok.transcript()).contains("-> X-Postmark-Server-Token: ******");

      DiagnosticReport failed = ConnectionDiagnostics.run(api.settingsBuilder()
          .apiKey(Canary.API_KEY + "-revoked").build(), OPTIONS);
      assertThat(failed.ok()).isFalse();

      Canary.assertNoCanary(everything(ok) + everything(failed) + logs.text());
    }
  }
}
