package dev.mailroom.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.AccessTokenSupplier;
import dev.mailroom.FailureCategory;
import dev.mailroom.OAuth2;
import dev.mailroom.Presets;
import dev.mailroom.Secret;
import dev.mailroom.internal.TokenEndpointException;
import dev.mailroom.testkit.MailroomHttpServer;
import dev.mailroom.testkit.junit.StartStop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token suppliers of {@link OAuth2} against the test kit's fake token endpoints, on loopback. */
@Timeout(60)
class OAuth2TokenTest {
  @StartStop
  static MailroomHttpServer server = MailroomHttpServer.builder().build();

  private static final Locale BN = Locale.forLanguageTag("bn");
  private static final Locale SW = Locale.forLanguageTag("sw");

  private AccessTokenSupplier refreshSupplier() {
    return OAuth2.refreshToken(server.tokenEndpoint(OAuth2.MICROSOFT_SMTP_SCOPE, OAuth2.OFFLINE_ACCESS),
        server.clientId(), server.clientSecret(), server.refreshToken());
  }

  private static TokenEndpointException refusal(AccessTokenSupplier s) {
    return catchThrowableOfType(TokenEndpointException.class, s::accessToken);
  }

  @Test
  void theRefreshTokenGrantCachesTheTokenUntilShortlyBeforeItExpires() throws Exception {
    AccessTokenSupplier s = refreshSupplier();
    int before = server.tokensIssued();
    Secret first = s.accessToken();
    assertThat(s.accessToken()).isEqualTo(first);
    assertThat(s.accessToken()).isEqualTo(first);
    assertThat(server.tokensIssued() - before).isEqualTo(1);
    assertThat(server.isValidAccessToken(first)).isTrue();
  }

  @Test
  void aShortLivedTokenIsRenewedBeforeItExpires() throws Exception {
    try (MailroomHttpServer shortLived = MailroomHttpServer.builder().tokenLifetime(Duration.ofSeconds(2)).build()) {
      shortLived.start();
      AccessTokenSupplier s = OAuth2.clientCredentials(shortLived.tokenEndpoint(OAuth2.GRAPH_APP_SCOPE),
          shortLived.clientId(), shortLived.clientSecret());
      Secret first = s.accessToken();
      assertThat(s.accessToken()).isEqualTo(first);
      Thread.sleep(1900); // renewal is due a tenth of the lifetime (0.2 s) before expiry
      Secret second = s.accessToken();
      assertThat(second).isNotEqualTo(first);
      assertThat(shortLived.isValidAccessToken(second)).isTrue();
      assertThat(shortLived.tokensIssued()).isEqualTo(2);
    }
  }

  @Test
  void concurrentCallersShareOneRenewal() throws Exception {
    AccessTokenSupplier s = refreshSupplier();
    server.delayNextToken(Duration.ofMillis(400));
    int before = server.tokenRequests();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Secret>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return s.accessToken();
        }));
      }
      start.countDown();
      Set<Secret> tokens = ConcurrentHashMap.newKeySet();
      for (Future<Secret> f : results) {
        tokens.add(f.get(20, TimeUnit.SECONDS));
      }
      assertThat(tokens).hasSize(1);
      assertThat(server.tokenRequests() - before).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentCallersShareOneRefusalInsteadOfEachAskingAgain() throws Exception {
    AccessTokenSupplier s = OAuth2.refreshToken(server.tokenEndpoint(OAuth2.MICROSOFT_SMTP_SCOPE),
        server.clientId(), server.clientSecret(), Secret.of("revoked-refresh-token"));
    server.delayNextToken(Duration.ofMillis(400));
    int before = server.tokenRequests();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return s.accessToken();
        }));
      }
      start.countDown();
      for (Future<?> f : results) {
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TokenEndpointException.class);
      }
      // the first caller asked; those that waited for it share its refusal (a late arrival may ask once more)
      assertThat(server.tokenRequests() - before).isBetween(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTransientTokenEndpointFailureIsRetriedWithBackoff() throws Exception {
    AccessTokenSupplier s = refreshSupplier();
    server.failNextToken(503, "{\"error\":\"temporarily_unavailable\"}");
    server.dropNextToken();
    int before = server.tokenRequests();
    long started = System.nanoTime();
    Secret token = s.accessToken();
    assertThat(server.isValidAccessToken(token)).isTrue();
    assertThat(server.tokenRequests() - before).isEqualTo(3);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aLastingOutageIsATransientFailureAfterThreeAttempts() {
    AccessTokenSupplier s = refreshSupplier();
    for (int i = 0; i < 3; i++) {
      server.failNextToken(500, "{\"error\":\"server_error\",\"error_description\":\"AADSTS90033: A transient error has occurred.\"}");
    }
    TokenEndpointException e = refusal(s);
    assertThat(e.failure().isTransient()).isTrue();
    assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.endpoint-unavailable");
    assertThat(e.failure().code()).hasValue(500);
  }

  @Test
  void aRotatedRefreshTokenIsHandedToTheApplicationAndUsedFromThenOn() throws Exception {
    try (MailroomHttpServer rotating = MailroomHttpServer.builder().rotateRefreshTokens(true).build()) {
      rotating.start();
      List<Secret> stored = new ArrayList<>();
      AccessTokenSupplier s = OAuth2.refreshToken(rotating.tokenEndpoint(OAuth2.MICROSOFT_SMTP_SCOPE),
          rotating.clientId(), rotating.clientSecret(), rotating.refreshToken(), stored::add);
      Secret first = s.accessToken();
      assertThat(stored).containsExactly(rotating.refreshToken());
      s.invalidate(first); // the old refresh token no longer works at the fake: the rotated one must be used
      Secret second = s.accessToken();
      assertThat(second).isNotEqualTo(first);
      assertThat(stored).hasSize(2).last().isEqualTo(rotating.refreshToken());
    }
  }

  @Test
  void aRefusedTokenIsForgottenSoTheNextCallGetsAFreshOne() throws Exception {
    AccessTokenSupplier s = refreshSupplier();
    Secret first = s.accessToken();
    s.invalidate(Secret.of("some-other-token"));
    assertThat(s.accessToken()).isEqualTo(first);
    server.revokeAccessTokens();
    s.invalidate(first);
    Secret fresh = s.accessToken();
    assertThat(fresh).isNotEqualTo(first);
    assertThat(server.isValidAccessToken(fresh)).isTrue();
  }

  @Test
  void anExpiredRefreshTokenSaysSignInAgainInThreeLanguagesWithoutShowingSecrets() {
    Secret stale = Secret.of("stale-refresh-token-0123456789");
    AccessTokenSupplier s = OAuth2.refreshToken(server.tokenEndpoint(OAuth2.MICROSOFT_SMTP_SCOPE),
        server.clientId(), server.clientSecret(), stale);
    TokenEndpointException e = refusal(s);
    assertThat(e.failure().category()).isEqualTo(FailureCategory.AUTHENTICATION);
    assertThat(e.failure().isTransient()).isFalse();
    assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.refresh-token-expired");
    assertThat(e.getMessage()).contains("AADSTS70008").contains("127.0.0.1")
        .doesNotContain(stale.reveal()).doesNotContain(server.clientSecret().reveal());
    assertThat(e.failure().hint(Locale.ENGLISH)).contains("Sign in again");
    assertThat(e.failure().hint(BN)).containsPattern("[\\u0980-\\u09FF]").isNotEqualTo(e.failure().hint(Locale.ENGLISH));
    assertThat(e.failure().hint(SW)).contains("Ingia tena");
    assertThat(s.toString()).doesNotContain(stale.reveal()).doesNotContain(server.clientSecret().reveal());
  }

  @Test
  void theEndpointsEchoOfASecretIsRedacted() {
    Secret refresh = server.refreshToken();
    server.failNextToken(400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided"
        + " grant has expired due to it being revoked: " + refresh.reveal() + " with secret "
        + server.clientSecret().reveal() + "\"}");
    TokenEndpointException e = refusal(refreshSupplier());
    assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.refresh-token-expired");
    assertThat(e.getMessage()).contains("AADSTS50173").doesNotContain(refresh.reveal())
        .doesNotContain(server.clientSecret().reveal());
    assertThat(e.failure().serverReply().orElseThrow()).doesNotContain(refresh.reveal());
  }

  @Test
  void eachMicrosoftRefusalHasItsOwnHint() {
    String[][] cases = {
        {"400", "invalid_client", "AADSTS7000222: The provided client secret keys for app are expired.",
            "hint.oauth.client-secret-expired"},
        {"400", "invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application.",
            "hint.oauth.consent-missing"},
        {"400", "invalid_request", "AADSTS900023: Specified tenant identifier is neither a valid DirectoryName nor a valid ObjectId.",
            "hint.oauth.wrong-tenant"},
        {"400", "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.",
            "hint.oauth.scope-invalid"},
        {"400", "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method.",
            "hint.oauth.delegation-missing"},
    };
    for (String[] c : cases) {
      server.failNextToken(Integer.parseInt(c[0]), "{\"error\":\"" + c[1] + "\",\"error_description\":\""
          + c[2].replace("'", "\\u0027") + "\"}");
      TokenEndpointException e = refusal(refreshSupplier());
      assertThat(e.failure().hintKey()).as(c[2]).isEqualTo(c[3]);
      assertThat(e.failure().category()).isEqualTo(FailureCategory.AUTHENTICATION);
      assertThat(e.failure().hint(BN)).as(c[3]).doesNotStartWith("hint.");
    }
  }

  @Test
  void aWrongClientSecretAndAWrongTenantAreToldApart() {
    TokenEndpointException secret = refusal(OAuth2.clientCredentials(server.tokenEndpoint(OAuth2.GRAPH_APP_SCOPE),
        server.clientId(), Secret.of("not-the-secret")));
    assertThat(secret.failure().hintKey()).isEqualTo("hint.oauth.client-secret-wrong");
    assertThat(secret.getMessage()).contains("AADSTS7000215").doesNotContain("not-the-secret");

    OAuth2.TokenEndpoint otherTenant = OAuth2.TokenEndpoint.of(server.tokenEndpoint().uri().toString()
        .replace(server.tenant(), "contoso.onmicrosoft.com"), OAuth2.GRAPH_APP_SCOPE);
    TokenEndpointException tenant = refusal(OAuth2.clientCredentials(otherTenant, server.clientId(),
        server.clientSecret()));
    assertThat(tenant.failure().hintKey()).isEqualTo("hint.oauth.wrong-tenant");
  }

  @Test
  void clientCredentialsWithASecretAndWithACertificate() throws Exception {
    Secret bySecret = OAuth2.clientCredentials(server.tokenEndpoint(OAuth2.MICROSOFT_SMTP_APP_SCOPE),
        server.clientId(), server.clientSecret()).accessToken();
    assertThat(server.isValidAccessToken(bySecret)).isTrue();
    Secret byCertificate = OAuth2.clientCredentials(server.tokenEndpoint(OAuth2.GRAPH_APP_SCOPE),
        server.clientId(), server.clientCertificateKey(), server.clientCertificate()).accessToken();
    assertThat(server.isValidAccessToken(byCertificate)).isTrue();
  }

  @Test
  void clientCredentialsWithoutADefaultScopeAreRefusedWithTheScopeHint() {
    TokenEndpointException e = refusal(OAuth2.clientCredentials(server.tokenEndpoint(OAuth2.GRAPH_SCOPE),
        server.clientId(), server.clientSecret()));
    assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.scope-invalid");
  }

  @Test
  void aGoogleServiceAccountSignsItsAssertionWithTheJdk() throws Exception {
    Secret token = OAuth2.googleServiceAccount(server.serviceAccountKey(), "billing@example.com",
        OAuth2.GMAIL_SEND_SCOPE).accessToken();
    assertThat(server.isValidAccessToken(token)).isTrue();
  }

  @Test
  void aGoogleRefreshTokenThatWasRevokedSaysSignInAgain() {
    TokenEndpointException e = refusal(OAuth2.refreshToken(server.googleTokenEndpoint(), server.clientId(),
        server.clientSecret(), Secret.of("1//revoked")));
    assertThat(e.failure().hintKey()).isEqualTo("hint.oauth.refresh-token-expired");
    assertThat(e.getMessage()).contains("Token has been expired or revoked");
  }

  @Test
  void aServiceAccountKeyThatIsNotOneIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> OAuth2.googleServiceAccount(Secret.of("{\"type\":\"authorized_user\","
        + "\"client_secret\":\"s3cr3t\"}"), "a@example.com"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a service-account key")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> OAuth2.googleServiceAccount(Secret.of("{\"type\":\"service_account\","
        + "\"client_email\":\"x@y.iam.gserviceaccount.com\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nnot-a-key"
        + "\\n-----END PRIVATE KEY-----\"}"), "a@example.com"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS #8")
        .hasMessageNotContaining("not-a-key");
  }

  @Test
  void presetsCarryTheirTokenEndpointsAndScopes() {
    assertThat(Presets.OFFICE365.tokenEndpoint("contoso.onmicrosoft.com")).get()
        .extracting(e -> e.uri().toString())
        .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    assertThat(Presets.OFFICE365.tokenEndpoint("contoso.onmicrosoft.com").get().scopes())
        .containsExactly(OAuth2.MICROSOFT_SMTP_SCOPE, OAuth2.OFFLINE_ACCESS);
    assertThat(Presets.OUTLOOK.tokenEndpoint(null).get().uri().toString()).contains("/consumers/");
    assertThat(Presets.GMAIL.tokenEndpoint(null).get().uri().toString()).isEqualTo(OAuth2.GOOGLE_TOKEN_URI);
    assertThat(Presets.GMAIL.tokenEndpoint(null).get().scopes()).containsExactly(OAuth2.GOOGLE_MAIL_SCOPE);
    assertThat(Presets.YAHOO.tokenEndpoint(null)).isEmpty();
  }

  @Test
  void tokenEndpointsMustBeHttpsExceptOnLoopback() {
    assertThatThrownBy(() -> OAuth2.TokenEndpoint.of("http://login.example.com/token"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> OAuth2.TokenEndpoint.of("https://user:pw@login.example.com/token"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
    assertThatThrownBy(() -> OAuth2.microsoft("contoso/../evil"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OAuth2.TokenEndpoint.of("http://127.0.0.1:9/token").uri().getPort()).isEqualTo(9);
  }

  @Test
  void anUnreachableEndpointIsAConnectionFailure() throws IOException {
    int port;
    try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = ss.getLocalPort();
    }
    AccessTokenSupplier s = OAuth2.clientCredentials(OAuth2.TokenEndpoint.of("http://127.0.0.1:" + port
        + "/t/oauth2/v2.0/token", OAuth2.GRAPH_APP_SCOPE), "client", Secret.of("secret-value"));
    TokenEndpointException e = refusal(s);
    assertThat(e.failure().category()).isEqualTo(FailureCategory.CONNECTION);
    assertThat(e.failure().isTransient()).isTrue();
    assertThat(e.getMessage()).doesNotContain("secret-value");
  }
}
