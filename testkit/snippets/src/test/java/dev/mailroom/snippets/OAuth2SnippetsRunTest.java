package dev.mailroom.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.GoogleServiceAccount;
import com.acme.billing.Microsoft365AppOnly;
import com.acme.billing.OutlookSignedInUser;
import dev.mailroom.EmailSettings;
import dev.mailroom.Secret;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's OAuth2 snippets: the Google one gets a real token from the test kit's fake Google token
 * endpoint (the key file's {@code token_uri} points there); the Microsoft ones, whose endpoints are fixed by their
 * presets, build their settings without a secret showing.
 */
class OAuth2SnippetsRunTest {
  @StartStop
  static MailroomHttpServer tokens = MailroomHttpServer.create();

  @Test
  void theGoogleServiceAccountSnippetGetsAToken(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("service-account.json"), tokens.serviceAccountKey().reveal(),
        StandardCharsets.UTF_8);

    EmailSettings settings = GoogleServiceAccount.settings(key);

    Secret token = settings.oauth2().orElseThrow().accessToken();
    assertThat(tokens.isValidAccessToken(token)).isTrue();
    assertThat(settings.toString()).doesNotContain(token.reveal());
  }

  @Test
  void theMicrosoftSnippetsBuildTheirSettings() {
    EmailSettings appOnly = Microsoft365AppOnly.settings("client-id", "canary-client-secret");
    assertThat(appOnly.host()).contains("smtp.office365.com");
    assertThat(appOnly.oauth2()).isPresent();
    assertThat(appOnly.toString()).doesNotContain("canary-client-secret");

    EmailSettings user = OutlookSignedInUser.settings("client-id", "canary-refresh-token", rotated -> { });
    assertThat(user.oauth2()).isPresent();
    assertThat(user.toString()).doesNotContain("canary-refresh-token");
  }
}
